import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { findDispatchedRoute } from '../../functions/authorizer/dispatched-route.js';
import type { RouteConfig } from '../../functions/shared/definition/schema.js';
import {
  bearerEvent,
  createHarness,
  expectFailure,
  type Harness,
  methodArnPrefix,
  requestEvent,
} from './harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness();
});

beforeEach(() => {
  harness.exchange.requests.length = 0;
  harness.exchange.answer = undefined;
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the Allow policy', () => {
  it('names only the dispatched route, for every route of the definition', async () => {
    const token = await harness.oidcToken('catalog.read catalog.write basket.read basket.write');
    for (const route of harness.definition.routes) {
      const result = await harness.authorizer.authorize(
        bearerEvent(token, { method: route.method, resource: route.path }),
      );

      const pattern = route.path.slice(1).replace(/\{[^}]+\}/g, '*');
      expect(result.policyDocument.Statement).toEqual([
        {
          Action: 'execute-api:Invoke',
          Effect: 'Allow',
          Resource: [`${methodArnPrefix}/${route.method}/${pattern}`],
        },
      ]);
    }
  });

  it('is never a wildcard for the API, the stage or the method', async () => {
    const token = await harness.oidcToken('catalog.read');

    const result = await harness.authorizer.authorize(bearerEvent(token));

    const [statement] = result.policyDocument.Statement as { Resource: string[] }[];
    expect(statement?.Resource).toHaveLength(1);
    const [api, stage, method, ...path] = (statement?.Resource[0] ?? '').split(':')[5]!.split('/');
    expect([api, stage, method]).toEqual(['a1b2c3d4e5', 'prod', 'GET']);
    expect(path).toEqual(['catalog', 'events', '*']);
  });

  it('follows the dispatched template, not the raw path', async () => {
    const token = await harness.oidcToken('catalog.read');
    const event = bearerEvent(token, { resource: '/catalog/events/{eventId}', path: '/basket' });

    const result = await harness.authorizer.authorize(event);

    expect(result.policyDocument.Statement[0]).toMatchObject({
      Resource: [`${methodArnPrefix}/GET/catalog/events/*`],
    });
  });

  it('writes {proxy+} as *', () => {
    const route = {
      method: 'GET',
      path: '/files/{proxy+}',
      scopes: ['catalog.read'],
      service: 'catalog',
      downstreamScopes: ['catalog:read'],
      mode: 'exchange',
    } satisfies RouteConfig;
    const event = requestEvent({ resource: '/files/{proxy+}', path: '/files/a/b' });

    expect(findDispatchedRoute(event, [route]).resourceArn).toBe(`${methodArnPrefix}/GET/files/*`);
  });
});

describe('the event', () => {
  it.each<[string, { methodArn?: string; requestContext?: Record<string, string> }]>([
    ['requestContext.resourcePath differs', { requestContext: { resourcePath: '/basket' } }],
    ['requestContext.httpMethod differs', { requestContext: { httpMethod: 'DELETE' } }],
    ['the method ARN names another method', { methodArn: `${methodArnPrefix}/DELETE/basket` }],
    ['the method ARN names another API', { requestContext: { apiId: 'zzzzzzzzzz' } }],
    ['the method ARN names another stage', { requestContext: { stage: 'dev' } }],
    ['the method ARN is not one', { methodArn: '*' }],
  ])('fails closed when %s', async (_name, change) => {
    const token = await harness.oidcToken('catalog.read basket.write');
    const event = bearerEvent(token);
    const changed = {
      ...event,
      ...change,
      requestContext: { ...event.requestContext, ...change.requestContext },
    };

    await expectFailure(harness.authorizer.authorize(changed), 'event_inconsistent');
  });

  it('fails closed for a route the definition does not hold: a deploy mismatch', async () => {
    const token = await harness.oidcToken('catalog.read');
    const event = bearerEvent(token, { method: 'PATCH', resource: '/catalog/events/{eventId}' });

    await expectFailure(harness.authorizer.authorize(event), 'route_unknown');
    expect(harness.exchange.requests).toEqual([]);
  });
});

describe('the Authorization header', () => {
  it.each([
    ['authorization', 'Bearer'],
    ['AUTHORIZATION', 'bearer'],
    ['Authorization', 'BEARER'],
  ])('is read as %s with the scheme %s', async (name, scheme) => {
    const token = await harness.oidcToken('catalog.read');
    const event = requestEvent({ headers: { [name]: `${scheme} ${token}` } });

    const result = await harness.authorizer.authorize(event);

    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
  });
});

describe('the exchange', () => {
  it('is asked with an RFC 8693 request for the route service and scopes', async () => {
    const token = await harness.oidcToken('basket.write catalog.read');

    await harness.authorizer.authorize(
      bearerEvent(token, { method: 'PUT', resource: '/basket/lines/{eventId}' }),
    );

    expect(harness.exchange.requests).toEqual([
      {
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: token,
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        audience: 'urn:narrowgate:service:basket',
        scope: 'basket:write',
        requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      },
    ]);
  });

  it('is not asked on a pass-through route, and no downstream token is handed on', async () => {
    const token = await harness.oidcToken('basket.read');

    const result = await harness.authorizer.authorize(bearerEvent(token, { resource: '/basket' }));

    expect(harness.exchange.requests).toEqual([]);
    expect(result.context).toEqual({
      subject: 'user-123',
      clientId: 'client-abc',
      scopes: 'basket.read',
      service: 'basket',
      issuer: 'oidc',
      mode: 'passthrough',
    });
  });

  it('is asked once for repeated calls of one route, and again for another route', async () => {
    const token = await harness.oidcToken('catalog.read catalog.write');
    const read = bearerEvent(token);
    const write = bearerEvent(token, { method: 'PUT' });

    const first = await harness.authorizer.authorize(read);
    const second = await harness.authorizer.authorize(read);
    const other = await harness.authorizer.authorize(write);

    expect(harness.exchange.requests.map((request) => request.scope)).toEqual([
      'catalog:read',
      'catalog:write',
    ]);
    expect(second.context?.downstreamToken).toBe(first.context?.downstreamToken);
    expect(other.context?.downstreamToken).not.toBe(first.context?.downstreamToken);
    expect(other.context?.scopes).toBe('catalog:write');
  });
});

describe('the logs', () => {
  it('hold codes and claim names, never the token or claim values', async () => {
    // Prepare: capture what the logger writes.
    const lines: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        return true;
      });
    }
    vi.spyOn(console, 'log').mockImplementation((...args) => lines.push(args.join(' ')));
    vi.spyOn(console, 'info').mockImplementation((...args) => lines.push(args.join(' ')));
    vi.spyOn(console, 'warn').mockImplementation((...args) => lines.push(args.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...args) => lines.push(args.join(' ')));
    const good = await harness.oidcToken('catalog.read', { sub: 'secret-subject-value' });
    const wrongAudience = await harness.oidcToken('catalog.read', { aud: 'aud-value-x' });

    // Act
    await harness.authorizer.authorize(bearerEvent(good));
    await harness.authorizer.authorize(bearerEvent(wrongAudience)).catch(() => undefined);

    // Assess
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(
      expect.objectContaining({ message: 'unauthorized', code: 'token_audience_not_allowed' }),
    );
    const text = lines.join('\n');
    for (const secret of [good, wrongAudience, 'secret-subject-value', 'aud-value-x']) {
      expect(text).not.toContain(secret);
    }
  });
});
