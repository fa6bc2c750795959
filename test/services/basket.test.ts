import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBasketService } from '../../functions/basket/basket-service.js';
import { basketPartition } from '../../functions/basket/basket-store.js';
import type { ProxyHandler } from '../../functions/shared/service/service-handler.js';
import { type DynaliteHandle, startDynalite } from './dynalite-server.js';
import { proxyEvent } from './proxy-event.js';
import {
  basketAudience,
  captureLogs,
  createKeys,
  exchangeIssuer,
  exchangeJwksUri,
  frozenNow,
  jwksCacheFor,
  type Keys,
  shopDefinition,
  signNarrowToken,
} from './service-fixture.js';

const basket = '/basket';
const line = '/basket/lines/{eventId}';

function json(result: APIGatewayProxyResult) {
  return JSON.parse(result.body);
}

describe('basket service', () => {
  let dynamo: DynaliteHandle;
  let keys: Keys;
  let tables = 0;
  let handler: ProxyHandler;

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
    captureLogs();
    const tableName = `basket-${++tables}`;
    await dynamo.createTable(tableName);
    handler = createBasketService({
      tableName,
      documentClient: dynamo.documentClient,
      definition: shopDefinition(),
      narrowToken: { issuer: exchangeIssuer, jwksUri: exchangeJwksUri },
      jwksCache: jwksCacheFor(keys).cache,
    });
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** A caller: narrow tokens for one subject, as the exchange would mint them. */
  async function as(subject: string) {
    const token = (scope: string) =>
      signNarrowToken(keys, { audience: basketAudience, scope, subject });
    const read = await token('basket:read');
    const write = await token('basket:write');
    return {
      get: () => handler(proxyEvent({ method: 'GET', resource: basket, downstreamToken: read })),
      put: (eventId: string, body: unknown) =>
        handler(
          proxyEvent({
            method: 'PUT',
            resource: line,
            pathParameters: { eventId },
            body,
            downstreamToken: write,
          }),
        ),
      remove: (eventId: string) =>
        handler(
          proxyEvent({
            method: 'DELETE',
            resource: line,
            pathParameters: { eventId },
            downstreamToken: write,
          }),
        ),
      clear: () =>
        handler(proxyEvent({ method: 'DELETE', resource: basket, downstreamToken: write })),
    };
  }

  it('answers an empty basket for a subject that has none', async () => {
    const alice = await as('alice');

    const result = await alice.get();

    expect(result.statusCode).toBe(200);
    expect(json(result)).toEqual({ lines: [] });
  });

  it('creates a line with 201, replaces it with 200, and reads it back', async () => {
    const alice = await as('alice');

    const created = await alice.put('evt-harbour-jazz', { quantity: 2 });
    const replaced = await alice.put('evt-harbour-jazz', { quantity: 4 });
    const result = await alice.get();

    expect(created.statusCode).toBe(201);
    expect(json(created)).toEqual({
      eventId: 'evt-harbour-jazz',
      quantity: 2,
      updatedAt: frozenNow.toISOString(),
    });
    expect(replaced.statusCode).toBe(200);
    expect(json(result).lines).toEqual([
      { eventId: 'evt-harbour-jazz', quantity: 4, updatedAt: frozenNow.toISOString() },
    ]);
  });

  it('deletes a line with 204 and answers 404 for a line it does not hold', async () => {
    const alice = await as('alice');
    await alice.put('evt-a', { quantity: 1 });
    await alice.put('evt-b', { quantity: 1 });

    const deleted = await alice.remove('evt-a');
    const missing = await alice.remove('evt-a');

    expect(deleted.statusCode).toBe(204);
    expect(missing.statusCode).toBe(404);
    expect(json(missing)).toEqual({ error: 'not_found', requestId: expect.any(String) });
    expect(json(await alice.get()).lines.map((l: { eventId: string }) => l.eventId)).toEqual([
      'evt-b',
    ]);
  });

  it('clears every line, past one batch of 25, and answers 204 again when empty', async () => {
    const alice = await as('alice');
    for (let index = 0; index < 30; index++) {
      await alice.put(`evt-${String(index).padStart(2, '0')}`, { quantity: 1 });
    }

    const cleared = await alice.clear();
    const again = await alice.clear();

    expect(cleared.statusCode).toBe(204);
    expect(again.statusCode).toBe(204);
    expect(json(await alice.get()).lines).toEqual([]);
  });

  it("keeps each subject's basket its own", async () => {
    const alice = await as('alice');
    const bob = await as('bob');

    await alice.put('evt-a', { quantity: 3 });
    await bob.put('evt-b', { quantity: 1 });
    await bob.clear();

    expect(json(await alice.get()).lines).toMatchObject([{ eventId: 'evt-a', quantity: 3 }]);
    expect(json(await bob.get()).lines).toEqual([]);
    expect((await bob.remove('evt-a')).statusCode).toBe(404);
  });

  it('keeps both of two concurrent puts of different lines', async () => {
    const alice = await as('alice');
    const eventIds = Array.from({ length: 20 }, (_, index) => `evt-race-${index}`);

    const results = await Promise.all(
      eventIds.map((eventId, index) => alice.put(eventId, { quantity: (index % 10) + 1 })),
    );

    expect(results.map((result) => result.statusCode)).toEqual(eventIds.map(() => 201));
    const lines = json(await alice.get()).lines;
    expect(lines).toHaveLength(eventIds.length);
    for (const [index, eventId] of eventIds.entries()) {
      expect(lines).toContainEqual(
        expect.objectContaining({ eventId, quantity: (index % 10) + 1 }),
      );
    }
  });

  it('keys a basket by a hash of the subject, whatever its length', async () => {
    // Beyond DynamoDB's 2,048-byte partition key, yet twice over (sub and
    // sub_id.sub) within the 8,192-character cap on a token.
    const long = await as('x'.repeat(2500));

    const result = await long.put('evt-a', { quantity: 1 });

    expect(result.statusCode).toBe(201);
    expect(basketPartition({ subjectIssuer: exchangeIssuer, subject: 'alice' })).toMatch(
      /^BASKET#[A-Za-z0-9_-]{43}$/,
    );
  });

  it('keys a basket by issuer and subject, encoded so that no two pairs share a key', () => {
    const key = (subjectIssuer: string, subject: string) =>
      basketPartition({ subjectIssuer, subject });

    expect(key('https://a.test', 'alice')).toBe(key('https://a.test', 'alice'));
    expect(key('https://a.test', 'alice')).not.toBe(key('https://b.test', 'alice'));
    // A separator joining the two would make these one string.
    expect(key('a\n', 'b')).not.toBe(key('a', '\nb'));
    expect(key('a', '"b')).not.toBe(key('a"', 'b'));
  });

  it('gives the same sub from two issuers two baskets (sub_id.iss)', async () => {
    const signAs = (subjectIssuer: string, scope: string) =>
      signNarrowToken(keys, {
        audience: basketAudience,
        scope,
        subject: 'shop-batch',
        subjectIssuer,
      });
    const fromA = await signAs('https://a.test', 'basket:write');
    const fromB = await signAs('https://b.test', 'basket:read');

    const put = await handler(
      proxyEvent({
        method: 'PUT',
        resource: line,
        pathParameters: { eventId: 'evt-a' },
        body: { quantity: 1 },
        downstreamToken: fromA,
      }),
    );
    const other = await handler(
      proxyEvent({ method: 'GET', resource: basket, downstreamToken: fromB }),
    );

    expect(put.statusCode).toBe(201);
    expect(other.statusCode).toBe(200);
    expect(json(other)).toEqual({ lines: [] });
  });

  it.each([
    ['zero', { quantity: 0 }],
    ['eleven', { quantity: 11 }],
    ['a fraction', { quantity: 1.5 }],
    ['a string', { quantity: '2' }],
    ['missing', {}],
    ['an extra field', { quantity: 1, price: 0 }],
  ])('refuses a quantity that is %s with 400 and writes nothing', async (_, body) => {
    const alice = await as('alice');

    const result = await alice.put('evt-a', body);

    expect(result.statusCode).toBe(400);
    expect(json(result).error).toBe('invalid_request');
    expect(json(result).fields.length).toBeGreaterThan(0);
    expect(json(await alice.get()).lines).toEqual([]);
  });

  it('refuses a malformed event id with 400', async () => {
    const alice = await as('alice');

    const result = await alice.put('evt a', { quantity: 1 });

    expect(result.statusCode).toBe(400);
    expect(json(result).fields).toEqual([{ path: 'path.eventId', message: expect.any(String) }]);
  });
});
