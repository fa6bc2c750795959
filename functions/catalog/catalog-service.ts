import { randomUUID } from 'node:crypto';
import { createLogger } from '../shared/logging/logger.js';
import { readEventId } from '../shared/service/event-id.js';
import { ConflictError, NotFoundError } from '../shared/service/request-errors.js';
import {
  createServiceHandler,
  type Operation,
  type ServiceHandler,
} from '../shared/service/service-handler.js';
import type { StoredServiceOptions } from '../shared/service/stored-service-options.js';
import { readJsonBody, readQuery } from '../shared/service/validate.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { defaultPageSize, eventInputSchema, listQuerySchema } from './event-schema.js';
import { createEventStore, type EventStore } from './event-store.js';

/** The service scopes the catalog's operations need. */
export const catalogScopes = { read: 'catalog:read', write: 'catalog:write' } as const;

export type CatalogServiceOptions = StoredServiceOptions;

/**
 * The catalog as a Lambda proxy handler. Every request is authenticated for
 * its route before anything else (see `createServiceHandler`); then:
 *
 * | route | scope | answer |
 * | --- | --- | --- |
 * | `GET /catalog/events?limit&cursor` | `catalog:read` | 200 `{events, nextCursor?}` |
 * | `GET /catalog/events/{eventId}` | `catalog:read` | 200 event, 404 |
 * | `POST /catalog/events` | `catalog:write` | 201 event with a new id, `Location` |
 * | `PUT /catalog/events/{eventId}` | `catalog:write` | 200 event, 404 if absent (no upsert) |
 * | `DELETE /catalog/events/{eventId}` | `catalog:write` | 204, 404 if absent |
 *
 * PUT does not create: ids are the catalog's to make, so a client cannot
 * choose one, and an update racing a delete cannot bring the event back.
 *
 * @example
 * const handler = createCatalogService({ tableName, documentClient, definition, narrowToken });
 * const result = await handler(event);
 */
export function createCatalogService(options: CatalogServiceOptions): ServiceHandler {
  const store = createEventStore(options);
  return createServiceHandler({
    serviceName: 'catalog',
    definition: options.definition,
    narrowToken: options.narrowToken,
    operations: catalogOperations(store),
    logger: options.logger ?? createLogger('catalog'),
    jwksCache: options.jwksCache,
    allowHttp: options.allowHttp,
  });
}

function catalogOperations(store: EventStore): Operation[] {
  const collection = '/catalog/events';
  const item = '/catalog/events/{eventId}';
  return [
    {
      method: 'GET',
      path: collection,
      scope: catalogScopes.read,
      async run({ event }) {
        const query = readQuery(event, listQuerySchema);
        const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
        const page = await store.list(query.limit ?? defaultPageSize, after);
        const nextCursor = page.lastId === undefined ? undefined : encodeCursor(page.lastId);
        return { status: 200, body: { events: page.events, nextCursor } };
      },
    },
    {
      method: 'GET',
      path: item,
      scope: catalogScopes.read,
      async run(request) {
        const found = await store.get(readEventId(request));
        if (!found) throw new NotFoundError('no such event');
        return { status: 200, body: found };
      },
    },
    {
      method: 'POST',
      path: collection,
      scope: catalogScopes.write,
      async run({ event }) {
        const input = readJsonBody(event, eventInputSchema);
        const created = await store.create(randomUUID(), input);
        // A random UUID taken already: vanishingly rare, but never overwrite.
        if (!created) throw new ConflictError('event id taken');
        return {
          status: 201,
          body: created,
          headers: { location: `${collection}/${created.id}` },
        };
      },
    },
    {
      method: 'PUT',
      path: item,
      scope: catalogScopes.write,
      async run(request) {
        const id = readEventId(request);
        const input = readJsonBody(request.event, eventInputSchema);
        const updated = await store.update(id, input);
        if (!updated) throw new NotFoundError('no such event');
        return { status: 200, body: updated };
      },
    },
    {
      method: 'DELETE',
      path: item,
      scope: catalogScopes.write,
      async run(request) {
        const deleted = await store.delete(readEventId(request));
        if (!deleted) throw new NotFoundError('no such event');
        return { status: 204 };
      },
    },
  ];
}
