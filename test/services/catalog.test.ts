import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCatalogService } from '../../functions/catalog/catalog-service.js';
import { encodeCursor } from '../../functions/catalog/cursor.js';
import { sampleEvents, seedCatalogEvents } from '../../functions/catalog/seed-events.js';
import type { ProxyHandler } from '../../functions/shared/service/service-handler.js';
import { type DynaliteHandle, startDynalite } from './dynalite-server.js';
import { type ProxyEventInput, proxyEvent } from './proxy-event.js';
import {
  captureLogs,
  catalogAudience,
  createKeys,
  exchangeIssuer,
  exchangeJwksUri,
  frozenNow,
  jwksCacheFor,
  type Keys,
  shopDefinition,
  signNarrowToken,
} from './service-fixture.js';

const collection = '/catalog/events';
const item = '/catalog/events/{eventId}';

function concert(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Night at the Docks',
    artist: 'The Tidewaters',
    venue: 'Pier 4',
    startsAt: '2026-05-01T19:30:00+02:00',
    price: { amountMinor: 2500, currency: 'EUR' },
    ...overrides,
  };
}

function json(result: APIGatewayProxyResult) {
  return JSON.parse(result.body);
}

describe('catalog service', () => {
  let dynamo: DynaliteHandle;
  let keys: Keys;
  let tables = 0;
  let tableName: string;
  let handler: ProxyHandler;
  let readToken: string;
  let writeToken: string;
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

    // A table of its own per test, so listings see only that test's events.
    tableName = `catalog-${++tables}`;
    await dynamo.createTable(tableName);
    handler = createCatalogService({
      tableName,
      documentClient: dynamo.documentClient,
      definition: shopDefinition(),
      narrowToken: { issuer: exchangeIssuer, jwksUri: exchangeJwksUri },
      jwksCache: jwksCacheFor(keys).cache,
    });
    readToken = await signNarrowToken(keys, { audience: catalogAudience, scope: 'catalog:read' });
    writeToken = await signNarrowToken(keys, {
      audience: catalogAudience,
      scope: 'catalog:write',
    });
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  const read = (input: Omit<ProxyEventInput, 'method'>) =>
    handler(proxyEvent({ method: 'GET', downstreamToken: readToken, ...input }));
  const write = (method: string, input: Omit<ProxyEventInput, 'method'>) =>
    handler(proxyEvent({ method, downstreamToken: writeToken, ...input }));
  const create = async (overrides: Record<string, unknown> = {}) =>
    json(await write('POST', { resource: collection, body: concert(overrides) }));

  describe('create, read, update, delete', () => {
    it('creates an event with a server-made id and answers 201 with its location', async () => {
      const result = await write('POST', { resource: collection, body: concert() });

      expect(result.statusCode).toBe(201);
      const body = json(result);
      expect(body).toMatchObject({ ...concert(), version: 1 });
      expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.createdAt).toBe(frozenNow.toISOString());
      expect(result.headers?.location).toBe(`/catalog/events/${body.id}`);
      expect(body).not.toHaveProperty('pk');
    });

    it('reads back a created event', async () => {
      const created = await create();

      const result = await read({ resource: item, pathParameters: { eventId: created.id } });

      expect(result.statusCode).toBe(200);
      expect(json(result)).toEqual(created);
    });

    it('replaces an event on PUT and counts the version up', async () => {
      const created = await create();
      vi.setSystemTime(new Date(frozenNow.getTime() + 60_000));

      const result = await write('PUT', {
        resource: item,
        pathParameters: { eventId: created.id },
        body: concert({ venue: 'Pier 5', price: { amountMinor: 3000, currency: 'EUR' } }),
      });

      expect(result.statusCode).toBe(200);
      expect(json(result)).toMatchObject({
        id: created.id,
        venue: 'Pier 5',
        price: { amountMinor: 3000, currency: 'EUR' },
        createdAt: created.createdAt,
        version: 2,
      });
      expect(json(result).updatedAt).not.toBe(created.updatedAt);
    });

    it('answers 404 to a PUT of an absent event and creates nothing', async () => {
      const result = await write('PUT', {
        resource: item,
        pathParameters: { eventId: 'no-such-event' },
        body: concert(),
      });

      expect(result.statusCode).toBe(404);
      expect(json(result)).toEqual({ error: 'not_found', requestId: expect.any(String) });
      const after = await read({ resource: item, pathParameters: { eventId: 'no-such-event' } });
      expect(after.statusCode).toBe(404);
    });

    it('deletes an event with 204, then answers 404 for it', async () => {
      const created = await create();

      const deleted = await write('DELETE', {
        resource: item,
        pathParameters: { eventId: created.id },
      });
      const again = await write('DELETE', {
        resource: item,
        pathParameters: { eventId: created.id },
      });
      const fetched = await read({ resource: item, pathParameters: { eventId: created.id } });

      expect(deleted.statusCode).toBe(204);
      expect(deleted.body).toBe('');
      expect(again.statusCode).toBe(404);
      expect(fetched.statusCode).toBe(404);
    });

    it('serves the seeded sample events', async () => {
      await seedCatalogEvents({ documentClient: dynamo.documentClient, tableName });

      const result = await read({ resource: collection });

      expect(result.statusCode).toBe(200);
      expect(json(result).events).toEqual(
        [...sampleEvents].sort((a, b) => a.id.localeCompare(b.id)),
      );
    });
  });

  describe('pagination', () => {
    it('pages through every event exactly once with limit and cursor', async () => {
      const ids = new Set<string>();
      for (let index = 0; index < 5; index++) ids.add((await create({ name: `Show ${index}` })).id);

      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const query: Record<string, string> = { limit: '2' };
        if (cursor) query.cursor = cursor;
        const result = await read({ resource: collection, query });
        expect(result.statusCode).toBe(200);
        const body = json(result);
        expect(body.events.length).toBeLessThanOrEqual(2);
        seen.push(...body.events.map((event: { id: string }) => event.id));
        cursor = body.nextCursor;
        pages++;
      } while (cursor && pages < 10);

      expect(seen).toHaveLength(5);
      expect(new Set(seen)).toEqual(ids);
    });

    it('answers an empty catalog with no events and no cursor', async () => {
      const result = await read({ resource: collection });

      expect(result.statusCode).toBe(200);
      expect(json(result)).toEqual({ events: [] });
    });

    it.each([
      ['characters outside base64url', 'not a cursor!'],
      ['base64url that is not JSON', Buffer.from('{{{').toString('base64url')],
      ['an unknown version', Buffer.from('{"v":2,"after":"a"}').toString('base64url')],
      ['a malformed id', Buffer.from('{"v":1,"after":"../x"}').toString('base64url')],
      ['an extra field', Buffer.from('{"v":1,"after":"a","pk":"X"}').toString('base64url')],
      ['a truncated cursor', encodeCursor('evt-harbour-jazz').slice(0, -3)],
    ])('refuses a cursor with %s with 400 before reading storage', async (_, cursor) => {
      const send = vi.spyOn(dynamo.documentClient, 'send');

      const result = await read({ resource: collection, query: { cursor } });

      expect(result.statusCode).toBe(400);
      expect(json(result)).toMatchObject({
        error: 'invalid_request',
        fields: [{ path: 'query.cursor' }],
      });
      expect(send).not.toHaveBeenCalled();
    });

    it.each(['0', '101', 'ten', '-1', '2.5'])('refuses limit=%s with 400', async (limit) => {
      const result = await read({ resource: collection, query: { limit } });

      expect(result.statusCode).toBe(400);
      expect(json(result).fields[0].path).toBe('query.limit');
    });

    it('refuses a query parameter given twice', async () => {
      const event = proxyEvent({ method: 'GET', resource: collection, downstreamToken: readToken });
      event.queryStringParameters = { limit: '5' };
      event.multiValueQueryStringParameters = { limit: ['1', '5'] };

      const result = await handler(event);

      expect(result.statusCode).toBe(400);
      expect(json(result).fields).toEqual([{ path: 'query.limit', message: 'must be given once' }]);
    });
  });

  describe('input validation', () => {
    it('names every failing field of a bad event', async () => {
      const result = await write('POST', {
        resource: collection,
        body: {
          name: '',
          artist: 'A',
          startsAt: 'next friday',
          price: { amountMinor: 12.5, currency: 'euro' },
          colour: 'red',
        },
      });

      expect(result.statusCode).toBe(400);
      const paths = json(result).fields.map((field: { path: string }) => field.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'body.name',
          'body.venue',
          'body.startsAt',
          'body.price.amountMinor',
          'body.price.currency',
          'body',
        ]),
      );
    });

    it.each([
      ['no body', undefined],
      ['invalid JSON', '{"name":'],
      ['a JSON array', '[]'],
    ])('refuses %s with 400', async (_, body) => {
      const result = await write('POST', { resource: collection, body });

      expect(result.statusCode).toBe(400);
      expect(json(result).error).toBe('invalid_request');
      expect(result.body).not.toContain('Unexpected');
    });

    it('refuses a body over 16 KiB', async () => {
      const result = await write('POST', {
        resource: collection,
        body: concert({ name: 'x'.repeat(17_000) }),
      });

      expect(result.statusCode).toBe(400);
      expect(json(result).fields[0].path).toBe('body');
    });

    it('reads a base64-encoded body', async () => {
      const event = proxyEvent({
        method: 'POST',
        resource: collection,
        downstreamToken: writeToken,
      });
      event.body = Buffer.from(JSON.stringify(concert())).toString('base64');
      event.isBase64Encoded = true;

      const result = await handler(event);

      expect(result.statusCode).toBe(201);
    });

    it('refuses a malformed event id in the path with 400', async () => {
      const result = await read({ resource: item, pathParameters: { eventId: 'a b/../c' } });

      expect(result.statusCode).toBe(400);
      expect(json(result).fields[0].path).toBe('path.eventId');
    });
  });

  describe('routing and failures', () => {
    it('answers 405 with Allow to a method the path does not take', async () => {
      const result = await write('PATCH', { resource: collection });

      expect(result.statusCode).toBe(405);
      expect(result.headers?.allow).toBe('GET, POST');
      expect(json(result).error).toBe('method_not_allowed');
    });

    it("answers 404 to another service's route", async () => {
      const result = await read({ resource: '/basket' });

      expect(result.statusCode).toBe(404);
    });

    it('answers 500 without internal text when storage fails, and logs the code', async () => {
      vi.spyOn(dynamo.documentClient, 'send').mockImplementation(async () => {
        throw new Error('table arn:aws:dynamodb:secret-internals exploded');
      });

      const result = await read({ resource: collection, requestId: 'req-500' });

      expect(result.statusCode).toBe(500);
      expect(json(result)).toEqual({ error: 'internal_error', requestId: 'req-500' });
      const records = logs.map((line) => JSON.parse(line));
      expect(records).toContainEqual(
        expect.objectContaining({ level: 'ERROR', requestId: 'req-500', code: 'storage_failed' }),
      );
      expect(logs.join('\n')).not.toContain('secret-internals');
    });

    it('writes the request id into every response and log line, and no token', async () => {
      await read({ resource: collection, requestId: 'req-log-1' });
      await handler(proxyEvent({ method: 'GET', resource: collection, requestId: 'req-log-2' }));

      const records = logs.map((line) => JSON.parse(line));
      expect(records.map((record) => record.requestId)).toEqual(['req-log-1', 'req-log-2']);
      expect(logs.join('\n')).not.toContain(readToken.split('.')[1]);
    });
  });
});
