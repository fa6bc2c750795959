import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import type { RouteConfig } from '../../functions/shared/definition/schema.js';
import { shopRoutes } from '../../functions/shared/definition/shop-definition.js';
import { startGateway } from '../../local/gateway/gateway-server.js';
import type { AuthorizerHandler, ProxyHandler } from '../../local/gateway/lambda-handlers.js';
import { sendRequest } from '../../local/http/send-request.js';

const routes = shopRoutes.map((route) => ({ mode: 'exchange', ...route })) as RouteConfig[];
const arnPrefix = 'arn:aws:execute-api:us-east-1:123456789012:local/local';

/** An Allow for one method and resource pattern, like the real authorizer's. */
function allow(method: string, pattern: string, token = 'narrow'): APIGatewayAuthorizerResult {
  return {
    principalId: 'client-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: `${arnPrefix}/${method}/${pattern}`,
        },
      ],
    },
    context: { downstreamToken: token, scopes: 'a b', expiresAt: 42, delegated: true },
  };
}

function recordingIntegration() {
  const events: APIGatewayProxyEvent[] = [];
  const handler: ProxyHandler = async (event) => {
    events.push(event);
    return {
      statusCode: 200,
      headers: { 'Content-Type': 'application/json' },
      multiValueHeaders: { 'X-Seen': ['one', 'two'] },
      body: JSON.stringify({ resource: event.resource }),
    };
  };
  return { events, handler };
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function gateway(authorizer: AuthorizerHandler, options: { now?: () => number } = {}) {
  const calls: APIGatewayRequestAuthorizerEvent[] = [];
  const catalog = recordingIntegration();
  const basket = recordingIntegration();
  const running = await startGateway({
    port: 0,
    routes,
    authorizer: async (event) => {
      calls.push(event);
      return await authorizer(event);
    },
    integrations: { catalog: catalog.handler, basket: basket.handler },
    publicRoutes: [{ method: 'GET', path: '/.well-known/jwks.json', handler: catalog.handler }],
    ...options,
  });
  stop = running.close;
  const call = async (method: string, path: string, token?: string) => {
    const answer = await sendRequest(running.url, path, {
      method,
      headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
    });
    return {
      status: answer.status,
      headers: new Headers(answer.headers as Record<string, string>),
      json: async () => JSON.parse(answer.body) as unknown,
    };
  };
  return { calls, catalog, basket, call };
}

describe('local REST API gateway', () => {
  it('answers 401 without calling the authorizer when Authorization is missing', async () => {
    // Prepare
    const { calls, call } = await gateway(async () => allow('GET', 'basket'));

    // Act
    const response = await call('GET', '/basket');

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(calls).toHaveLength(0);
  });

  it('answers 401 with invalid_token when the authorizer throws Unauthorized', async () => {
    const { call } = await gateway(async () => {
      throw new Error('Unauthorized');
    });

    const response = await call('GET', '/basket', 'bad');

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await response.json()).toEqual({ message: 'Unauthorized', error: 'invalid_token' });
  });

  it('answers 500 when the authorizer fails any other way', async () => {
    const { basket, call } = await gateway(async () => {
      throw new Error('exchange unreachable');
    });

    const response = await call('GET', '/basket', 'token');

    expect(response.status).toBe(500);
    expect(basket.events).toHaveLength(0);
  });

  it('answers 403 insufficient_scope for a Deny and for a policy with no matching Allow', async () => {
    const deny: APIGatewayAuthorizerResult = {
      principalId: 'client-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${arnPrefix}/*` },
          { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `${arnPrefix}/GET/basket` },
        ],
      },
    };
    const { call } = await gateway(async (event) =>
      event.resource === '/basket' ? deny : allow('GET', 'catalog/events'),
    );

    const denied = await call('GET', '/basket', 'token');
    const unmatched = await call('GET', '/catalog/events/7', 'token');

    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope"');
    expect(unmatched.status).toBe(403);
  });

  it('answers 500 for a context value that is not a string, number or boolean', async () => {
    const { call } = await gateway(async () => ({
      ...allow('GET', 'basket'),
      context: { scopes: ['a'] } as unknown as Record<string, string>,
    }));

    expect((await call('GET', '/basket', 'token')).status).toBe(500);
  });

  it('builds a REQUEST authorizer event of the real shape', async () => {
    const { calls, call } = await gateway(async () => allow('GET', 'catalog/events/*'));

    await call('GET', '/catalog/events/ev%201?lang=en&lang=fr', 'token');

    const event = calls[0];
    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: `${arnPrefix}/GET/catalog/events/ev%201`,
      resource: '/catalog/events/{eventId}',
      path: '/catalog/events/ev%201',
      httpMethod: 'GET',
      pathParameters: { eventId: 'ev 1' },
      queryStringParameters: { lang: 'fr' },
      multiValueQueryStringParameters: { lang: ['en', 'fr'] },
      stageVariables: null,
      requestContext: {
        resourcePath: '/catalog/events/{eventId}',
        httpMethod: 'GET',
        stage: 'local',
        path: '/local/catalog/events/ev%201',
      },
    });
    expect(event?.headers?.Authorization).toBe('Bearer token');
    expect(event?.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hands the context to the integration as strings, with the principal', async () => {
    const { catalog, call } = await gateway(async () => allow('GET', 'catalog/events'));

    const response = await call('GET', '/catalog/events', 'token');

    expect(response.status).toBe(200);
    expect(response.headers.get('x-seen')).toBe('one, two');
    expect(catalog.events[0]?.requestContext.authorizer).toMatchObject({
      principalId: 'client-1',
      downstreamToken: 'narrow',
      expiresAt: '42',
      delegated: 'true',
    });
  });

  it('caches by token, method and resource path, never by token alone', async () => {
    const { calls, call } = await gateway(async (event) =>
      allow(event.httpMethod, event.resource.slice(1).replace(/\{[^}]+\}/g, '*'), event.resource),
    );

    await call('GET', '/catalog/events/1', 'token');
    await call('GET', '/catalog/events/2', 'token');
    await call('GET', '/catalog/events', 'token');
    await call('GET', '/basket', 'token');

    expect(calls.map((event) => event.resource)).toEqual([
      '/catalog/events/{eventId}',
      '/catalog/events',
      '/basket',
    ]);
  });

  it('calls the authorizer again once the TTL has passed', async () => {
    let clock = 1_000_000;
    const { calls, call } = await gateway(async () => allow('GET', 'basket'), {
      now: () => clock,
    });

    await call('GET', '/basket', 'token');
    clock += 59_000;
    await call('GET', '/basket', 'token');
    clock += 2_000;
    await call('GET', '/basket', 'token');

    expect(calls).toHaveLength(2);
  });

  it.each([
    ['an unknown path', 'GET', '/admin'],
    ['an unknown method', 'PATCH', '/basket'],
    ['OPTIONS', 'OPTIONS', '/basket'],
    ['HEAD', 'HEAD', '/basket'],
    ['an encoded slash', 'GET', '/catalog/events/a%2Fb'],
    ['a dot segment', 'GET', '/catalog/events/../../basket'],
    ['a trailing slash', 'GET', '/basket/'],
    ['another case', 'GET', '/Basket'],
  ])(
    'answers 403 Missing Authentication Token for %s without calling anyone',
    async (_, method, path) => {
      const { calls, basket, catalog, call } = await gateway(async () => allow('*', '*'));

      const response = await call(method, path, 'token');

      expect(response.status).toBe(403);
      if (method !== 'HEAD') {
        expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
      }
      expect(calls).toHaveLength(0);
      expect([...basket.events, ...catalog.events]).toHaveLength(0);
    },
  );

  it('serves public routes without the authorizer', async () => {
    const { calls, catalog, call } = await gateway(async () => allow('*', '*'));

    const response = await call('GET', '/.well-known/jwks.json');

    expect(response.status).toBe(200);
    expect(calls).toHaveLength(0);
    expect(catalog.events[0]?.requestContext.authorizer).toBeUndefined();
  });

  it('answers 502 when an integration throws', async () => {
    const running = await startGateway({
      port: 0,
      routes,
      authorizer: async () => allow('GET', 'basket'),
      integrations: {
        catalog: async () => ({ statusCode: 200, body: '' }),
        basket: async () => {
          throw new Error('boom');
        },
      },
    });
    stop = running.close;

    const response = await fetch(`${running.url}/basket`, { headers: { Authorization: 'x' } });

    expect(response.status).toBe(502);
  });
});
