import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBasketService } from '../../functions/basket/basket-service.js';
import { createCatalogService } from '../../functions/catalog/catalog-service.js';
import type { ProxyHandler } from '../../functions/shared/service/service-handler.js';
import { createTestSigner } from '../support/test-issuer.js';
import { type DynaliteHandle, startDynalite } from './dynalite-server.js';
import { type ProxyEventInput, proxyEvent } from './proxy-event.js';
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
} from './service-fixture.js';

/** What the security table needs to know about one service. */
interface ServiceUnderTest {
  readonly name: string;
  readonly audience: string;
  readonly otherAudience: string;
  readonly readScope: string;
  readonly writeScope: string;
  /** The gateway scope a client holds to reach the write route. */
  readonly gatewayWriteScope: string;
  readonly write: Omit<ProxyEventInput, 'downstreamToken' | 'authorization'>;
  readonly read: Omit<ProxyEventInput, 'downstreamToken' | 'authorization'>;
  create(tableName: string, dynamo: DynaliteHandle, keys: Keys): ProxyHandler;
}

const common = (dynamo: DynaliteHandle, keys: Keys, tableName: string) => ({
  tableName,
  documentClient: dynamo.documentClient,
  definition: shopDefinition(),
  narrowToken: { issuer: exchangeIssuer, jwksUri: exchangeJwksUri },
  jwksCache: jwksCacheFor(keys).cache,
});

const services: ServiceUnderTest[] = [
  {
    name: 'catalog',
    audience: catalogAudience,
    otherAudience: basketAudience,
    readScope: 'catalog:read',
    writeScope: 'catalog:write',
    gatewayWriteScope: 'catalog.write',
    write: {
      method: 'POST',
      resource: '/catalog/events',
      body: {
        name: 'Night at the Docks',
        artist: 'The Tidewaters',
        venue: 'Pier 4',
        startsAt: '2026-05-01T19:30:00+02:00',
        price: { amountMinor: 2500, currency: 'EUR' },
      },
    },
    read: { method: 'GET', resource: '/catalog/events' },
    create: (tableName, dynamo, keys) => createCatalogService(common(dynamo, keys, tableName)),
  },
  {
    name: 'basket',
    audience: basketAudience,
    otherAudience: catalogAudience,
    readScope: 'basket:read',
    writeScope: 'basket:write',
    gatewayWriteScope: 'basket.write',
    write: {
      method: 'PUT',
      resource: '/basket/lines/{eventId}',
      pathParameters: { eventId: 'evt-harbour-jazz' },
      body: { quantity: 2 },
    },
    read: { method: 'GET', resource: '/basket' },
    create: (tableName, dynamo, keys) => createBasketService(common(dynamo, keys, tableName)),
  },
];

/** Where a case puts its token, and what it expects. */
interface SecurityCase {
  readonly name: string;
  readonly status: 401 | 403;
  /** The token placement for the write route. */
  placement(service: ServiceUnderTest, keys: Keys): Promise<Partial<ProxyEventInput>>;
}

const narrow = (service: ServiceUnderTest, keys: Keys, extra = {}) =>
  signNarrowToken(keys, { audience: service.audience, scope: service.writeScope, ...extra });

const securityCases: SecurityCase[] = [
  {
    name: 'no token at all',
    status: 401,
    placement: async () => ({}),
  },
  {
    name: "the client's gateway token sent straight to the service",
    status: 401,
    placement: async (service, keys) => ({
      downstreamToken: await signClientToken(keys, service.gatewayWriteScope),
    }),
  },
  {
    name: "the client's gateway token in Authorization, which exchange routes ignore",
    status: 401,
    placement: async (service, keys) => ({
      authorization: `Bearer ${await signClientToken(keys, service.gatewayWriteScope)}`,
    }),
  },
  {
    name: 'a valid narrow token in Authorization instead of the authorizer context',
    status: 401,
    placement: async (service, keys) => ({
      authorization: `Bearer ${await narrow(service, keys)}`,
    }),
  },
  {
    name: 'a narrow token for the other service',
    status: 401,
    placement: async (service, keys) => ({
      downstreamToken: await narrow(service, keys, { audience: service.otherAudience }),
    }),
  },
  {
    name: 'a narrow token naming this service and another',
    status: 401,
    placement: async (service, keys) => ({
      downstreamToken: await narrow(service, keys, {
        claims: { aud: [service.audience, service.otherAudience] },
      }),
    }),
  },
  {
    name: "a token signed by an unknown key under the exchange's key id",
    status: 401,
    placement: async (service, keys) => ({
      downstreamToken: await narrow(service, keys, { signer: keys.rogue }),
    }),
  },
  {
    name: 'a token signed by an unknown key id',
    status: 401,
    placement: async (service, keys) => ({
      downstreamToken: await narrow(service, keys, {
        signer: await createTestSigner('ES256', 'nobody-1'),
      }),
    }),
  },
  {
    name: 'an expired narrow token',
    status: 401,
    placement: async (service, keys) => ({
      downstreamToken: await narrow(service, keys, { expiresIn: -60 }),
    }),
  },
  {
    name: 'a token whose typ is JWT, not at+jwt',
    status: 401,
    placement: async (service, keys) => ({
      downstreamToken: await narrow(service, keys, { header: { typ: 'JWT' } }),
    }),
  },
  {
    name: 'a token from another issuer signed with the exchange key',
    status: 401,
    placement: async (service, keys) => ({
      downstreamToken: await narrow(service, keys, { claims: { iss: 'https://evil.test' } }),
    }),
  },
  {
    name: 'a token without a subject',
    status: 401,
    placement: async (service, keys) => ({
      downstreamToken: await narrow(service, keys, { claims: { sub: undefined } }),
    }),
  },
  {
    name: 'a read-scoped narrow token on a write',
    status: 403,
    placement: async (service, keys) => ({
      downstreamToken: await narrow(service, keys, { scope: service.readScope }),
    }),
  },
];

function json(result: APIGatewayProxyResult) {
  return JSON.parse(result.body);
}

describe.each(services)('$name service security', (service) => {
  let dynamo: DynaliteHandle;
  let keys: Keys;
  let handler: ProxyHandler;
  let tables = 0;
  let logs: string[];

  beforeAll(async () => {
    dynamo = await startDynalite();
    keys = await createKeys();
  });

  afterAll(async () => {
    await dynamo.close();
  });

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(frozenNow);
    logs = captureLogs();
    const tableName = `${service.name}-${++tables}`;
    await dynamo.createTable(tableName);
    handler = service.create(tableName, dynamo, keys);
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it.each(securityCases)('refuses $name with $status, without touching storage', async (c) => {
    const placement = await c.placement(service, keys);
    const send = vi.spyOn(dynamo.documentClient, 'send');

    const result = await handler(
      proxyEvent({ ...service.write, ...placement, requestId: 'req-security' }),
    );

    expect(result.statusCode).toBe(c.status);
    expect(send).not.toHaveBeenCalled();
    const record = JSON.parse(logs.at(-1) ?? '{}');
    expect(record).toMatchObject({ level: 'WARN', requestId: 'req-security' });
    expect(record.code).toMatch(/^(token_|scope_)/);
    if (c.status === 401) {
      expect(json(result)).toEqual({ error: 'invalid_token', requestId: 'req-security' });
      expect(result.headers?.['www-authenticate']).toBe('Bearer error="invalid_token"');
    } else {
      expect(json(result)).toEqual({ error: 'insufficient_scope', requestId: 'req-security' });
      expect(result.headers?.['www-authenticate']).toBe(
        `Bearer error="insufficient_scope", scope="${service.writeScope}"`,
      );
    }
  });

  it('refuses a write-scoped token on a read: scopes do not imply each other', async () => {
    const token = await narrow(service, keys);

    const result = await handler(proxyEvent({ ...service.read, downstreamToken: token }));

    expect(result.statusCode).toBe(403);
  });

  it('verifies the token before it reads the body', async () => {
    const result = await handler(proxyEvent({ ...service.write, body: '{not json' }));

    expect(result.statusCode).toBe(401);
  });

  it('serves the write with a narrow token made for it', async () => {
    const token = await narrow(service, keys);

    const result = await handler(proxyEvent({ ...service.write, downstreamToken: token }));

    expect(result.statusCode).toBe(201);
  });

  it('accepts a token within 5 s past exp and refuses it after, by the frozen clock', async () => {
    const token = await narrow(service, keys, { expiresIn: 60, scope: service.readScope });

    vi.setSystemTime(frozenNow.getTime() + 64_000);
    const within = await handler(proxyEvent({ ...service.read, downstreamToken: token }));
    vi.setSystemTime(frozenNow.getTime() + 66_000);
    const after = await handler(proxyEvent({ ...service.read, downstreamToken: token }));

    expect(within.statusCode).toBe(200);
    expect(after.statusCode).toBe(401);
  });
});
