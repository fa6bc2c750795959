import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCatalogService } from '../../functions/catalog/catalog-service.js';
import { shopGatewayAudience } from '../../functions/shared/definition/shop-definition.js';
import type { ProxyHandler } from '../../functions/shared/service/service-handler.js';
import { proxyEvent } from '../services/proxy-event.js';
import {
  basketAudience,
  captureLogs,
  catalogAudience,
  createKeys,
  exchangeIssuer,
  exchangeJwksUri,
  frozenNow,
  jwksCacheFor,
  type Keys,
  shopDefinition,
  signClientToken,
  signNarrowToken,
} from '../services/service-fixture.js';

/**
 * A service's pass-through routes accept only a client token from a
 * configured issuer that names the service's own audience. Route: the
 * catalog's `GET /catalog/events`, switched to pass-through. Every token
 * here is refused before the table is reached.
 */

let keys: Keys;
let handler: ProxyHandler;
let logs: string[];
const send = vi.fn();

beforeAll(async () => {
  keys = await createKeys();
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(frozenNow);
  logs = captureLogs();
  send.mockReset();
  handler = createCatalogService({
    tableName: 'catalog',
    documentClient: { send } as unknown as DynamoDBDocumentClient,
    definition: shopDefinition((input) => {
      input.routes = input.routes.map((route) =>
        route.service === 'catalog' && route.method === 'GET'
          ? { ...route, mode: 'passthrough' }
          : route,
      );
      input.exchange.grants = input.exchange.grants.filter(
        (grant) => grant.gatewayScope !== 'catalog.read',
      );
    }),
    narrowToken: { issuer: exchangeIssuer, jwksUri: exchangeJwksUri },
    jwksCache: jwksCacheFor(keys).cache,
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const list = (token: string) =>
  handler(
    proxyEvent({ method: 'GET', resource: '/catalog/events', authorization: `Bearer ${token}` }),
  );

/** Asserts a 401 `invalid_token` logged with `code`, the table untouched. */
async function expectRefused(token: string, code: string): Promise<void> {
  const result = await list(token);

  expect(result.statusCode).toBe(401);
  expect(result.headers?.['www-authenticate']).toBe('Bearer error="invalid_token"');
  const refusals = logs
    .map((line) => JSON.parse(line))
    .filter((r) => r.message === 'token refused');
  expect(refusals.map((record) => record.code)).toEqual([code]);
  expect(send).not.toHaveBeenCalled();
}

describe('a pass-through route', () => {
  it('refuses a narrow token for this very service in the Authorization header', async () => {
    const narrow = await signNarrowToken(keys, {
      audience: catalogAudience,
      scope: 'catalog:read catalog.read',
    });

    // One issuer configured: aws-jwt-verify looks the exchange's kid up in
    // that issuer's JWKS, before it compares `iss`, and finds none.
    await expectRefused(narrow, 'token_key_unknown');
  });

  it('refuses a narrow token the service has just accepted on an exchange route', async () => {
    const narrow = await signNarrowToken(keys, {
      audience: catalogAudience,
      scope: 'catalog:write catalog.read',
    });
    const exchangeRoute = await handler(
      proxyEvent({
        method: 'DELETE',
        resource: '/catalog/events/{eventId}',
        pathParameters: { eventId: 'evt-1' },
        downstreamToken: narrow,
      }),
    );
    send.mockReset();

    expect(exchangeRoute.statusCode).toBe(404); // accepted; the stub table holds nothing
    await expectRefused(narrow, 'token_key_unknown');
  });

  it("refuses a client token made for another service's audience", async () => {
    const token = await signClientToken(keys, 'catalog.read', { aud: basketAudience });

    await expectRefused(token, 'token_audience_not_allowed');
  });

  it('refuses a client token naming the gateway and another service, not this one', async () => {
    const token = await signClientToken(keys, 'catalog.read', {
      aud: [shopGatewayAudience, basketAudience],
    });

    await expectRefused(token, 'token_audience_not_allowed');
  });

  it('refuses a client token whose audience differs from the service only in case', async () => {
    const token = await signClientToken(keys, 'catalog.read', {
      aud: catalogAudience.toUpperCase(),
    });

    await expectRefused(token, 'token_audience_not_allowed');
  });
});
