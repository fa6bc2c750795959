import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopRoutes } from '../../functions/shared/definition/shop-definition.js';
import { sendRequest } from '../../local/http/send-request.js';
import { inProcessTarget } from '../../local/local-target.js';
import { type ScenarioState, type ScenarioTarget, shopScenarios } from '../../local/scenarios.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

/**
 * End to end over real HTTP on 127.0.0.1: the local stack as `npm start`
 * runs it, on free ports, with every function's own code behind it.
 */
let stack: LocalStack;
let target: ScenarioTarget;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  stack = await startLocalStack({ ports: { gateway: 0, inside: 0, identity: 0, dynamo: 0 } });
  target = inProcessTarget(stack);
});

afterAll(async () => {
  await stack?.close();
});

async function gateway(method: string, path: string, token?: string) {
  return await sendRequest(stack.gatewayUrl, path, {
    method,
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  });
}

describe('the demo scenarios', () => {
  // One state for the file: later scenarios use what earlier ones made.
  const state: ScenarioState = new Map();

  it.each(shopScenarios.map((scenario) => [scenario.name, scenario] as const))(
    '%s',
    async (_, scenario) => {
      const result = await scenario.run(target, state);
      expect(result, result.got).toMatchObject({ pass: true });
    },
  );
});

describe('authorizer caching', () => {
  it('never serves one route’s narrow token on another route', async () => {
    // Prepare: one token for both services, the catalog's decision cached first.
    const token = await stack.identity.fetchToken('shop-web');

    // Act
    const catalog = await gateway('GET', '/catalog/events', token);
    const basket = await gateway('GET', '/basket', token);
    const catalogAgain = await gateway('GET', '/catalog/events', token);

    // Assess: a replayed catalog token would make the basket answer 401.
    expect([catalog.status, basket.status, catalogAgain.status]).toEqual([200, 200, 200]);
  });

  it('never serves one route’s Allow on another route', async () => {
    const token = await stack.identity.fetchToken('analytics');

    const read = await gateway('GET', '/catalog/events/evt-harbour-jazz', token);
    const remove = await gateway('DELETE', '/catalog/events/evt-harbour-jazz', token);
    const basket = await gateway('GET', '/basket', token);
    const readAgain = await gateway('GET', '/catalog/events/evt-harbour-jazz', token);

    expect([read.status, remove.status, basket.status, readAgain.status]).toEqual([
      200, 403, 403, 200,
    ]);
  });

  it('reuses a route’s decision for other values of its path parameters', async () => {
    const token = await stack.identity.fetchToken('analytics');
    await gateway('GET', '/catalog/events/evt-string-theory', token);
    const before = stack.authorizerCache.size;

    const other = await gateway('GET', '/catalog/events/evt-midnight-synth', token);

    expect(other.status).toBe(200);
    expect(stack.authorizerCache.size).toBe(before);
  });

  it('never caches a decision under the token alone', async () => {
    stack.authorizerCache.clear();
    const token = await stack.identity.fetchToken('shop-web');

    await gateway('GET', '/catalog/events', token);
    await gateway('GET', '/basket', token);
    await gateway('PUT', '/basket/lines/evt-folk-morning', token);

    expect(stack.authorizerCache.size).toBe(3);
  });
});

describe('paths that could reach a more permissive route', () => {
  it.each([
    '/catalog/events/..%2F..%2Fbasket',
    '/catalog/events/%2e%2e/%2e%2e/basket',
    '/catalog/events/%2E%2E%2F%2E%2E%2Fbasket',
    '/catalog/events/../../basket',
    '/catalog/events/./evt-harbour-jazz',
    '/catalog/events/evt-harbour-jazz%2F..%2F..%2F..%2Fbasket',
    '/catalog%2Fevents',
    '/basket%2F',
    '//basket',
    '/basket/',
    '/Basket',
    '/catalog/events/a%5C..%5Cbasket',
    '/catalog/events/%ZZ',
  ])('%s reaches no route', async (path) => {
    // Prepare: a client holding only catalog.read, so any route it reaches is telling.
    const token = await stack.identity.fetchToken('analytics');

    // Act
    const answer = await gateway('GET', path, token);

    // Assess
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({ message: 'Missing Authentication Token' });
  });

  it('keeps a basket path out of the catalog even for a client holding both', async () => {
    const token = await stack.identity.fetchToken('shop-web');

    const answer = await gateway('GET', '/catalog/events/..%2F..%2Fbasket', token);

    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('lines');
  });
});

describe('OPTIONS and HEAD', () => {
  const paths = [...new Set(shopRoutes.map((route) => route.path))].map((path) =>
    path.replace('{eventId}', 'evt-harbour-jazz'),
  );

  it.each(
    paths.flatMap((path) => [
      ['OPTIONS', path],
      ['HEAD', path],
    ]),
  )('%s %s gets no bypass, with or without a token', async (method, path) => {
    const token = await stack.identity.fetchToken('shop-web');

    const withToken = await gateway(method, path, token);
    const without = await gateway(method, path);

    expect(withToken.status).toBe(403);
    expect(without.status).toBe(403);
    if (method === 'OPTIONS') expect(withToken.body).toContain('Missing Authentication Token');
  });
});

describe('the inside network', () => {
  it('answers the exchange in RFC 8693 terms, form-encoded too', async () => {
    const token = await stack.identity.fetchToken('analytics');
    const form = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: token,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: 'urn:narrowgate:service:basket',
      scope: 'basket:read',
    });

    const answer = await sendRequest(stack.insideUrl, '/exchange', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: expect.stringMatching(/^invalid_/) });
  });

  it('refuses a request with no token at every service', async () => {
    const catalog = await sendRequest(stack.insideUrl, '/catalog/events');
    const basket = await sendRequest(stack.insideUrl, '/basket');

    expect([catalog.status, basket.status]).toEqual([401, 401]);
  });
});
