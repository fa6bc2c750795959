import { createLogger } from '../shared/logging/logger.js';
import { readEventId } from '../shared/service/event-id.js';
import { NotFoundError } from '../shared/service/request-errors.js';
import {
  createServiceHandler,
  type Operation,
  type ServiceHandler,
} from '../shared/service/service-handler.js';
import type { StoredServiceOptions } from '../shared/service/stored-service-options.js';
import { readJsonBody } from '../shared/service/validate.js';
import { type BasketStore, createBasketStore } from './basket-store.js';
import { lineInputSchema } from './line-schema.js';

/** The service scopes the basket's operations need. */
export const basketScopes = { read: 'basket:read', write: 'basket:write' } as const;

export type BasketServiceOptions = StoredServiceOptions;

/**
 * The basket as a Lambda proxy handler: one basket per verified subject
 * and the issuer that vouched for it, so a caller only ever reaches their
 * own, even where two issuers hand out the same `sub`. Every request is
 * authenticated for its route first (see `createServiceHandler`); then:
 *
 * | route | scope | answer |
 * | --- | --- | --- |
 * | `GET /basket` | `basket:read` | 200 `{lines}` (empty when there is no basket) |
 * | `PUT /basket/lines/{eventId}` `{quantity}` | `basket:write` | 201 new line, 200 replaced |
 * | `DELETE /basket/lines/{eventId}` | `basket:write` | 204, 404 if no such line |
 * | `DELETE /basket` | `basket:write` | 204 (also when already empty) |
 *
 * The basket never calls the catalog: it checks an event id's form only.
 *
 * @example
 * const handler = createBasketService({ tableName, documentClient, definition, narrowToken });
 */
export function createBasketService(options: BasketServiceOptions): ServiceHandler {
  const store = createBasketStore(options);
  return createServiceHandler({
    serviceName: 'basket',
    definition: options.definition,
    narrowToken: options.narrowToken,
    operations: basketOperations(store),
    logger: options.logger ?? createLogger('basket'),
    jwksCache: options.jwksCache,
    allowHttp: options.allowHttp,
  });
}

function basketOperations(store: BasketStore): Operation[] {
  const line = '/basket/lines/{eventId}';
  return [
    {
      method: 'GET',
      path: '/basket',
      scope: basketScopes.read,
      async run({ caller }) {
        return { status: 200, body: { lines: await store.lines(caller) } };
      },
    },
    {
      method: 'PUT',
      path: line,
      scope: basketScopes.write,
      async run(request) {
        const eventId = readEventId(request);
        const { quantity } = readJsonBody(request.event, lineInputSchema);
        const result = await store.putLine(request.caller, eventId, quantity);
        return { status: result.created ? 201 : 200, body: result.line };
      },
    },
    {
      method: 'DELETE',
      path: line,
      scope: basketScopes.write,
      async run(request) {
        const deleted = await store.deleteLine(request.caller, readEventId(request));
        if (!deleted) throw new NotFoundError('no such line');
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      path: '/basket',
      scope: basketScopes.write,
      async run({ caller }) {
        await store.clear(caller);
        return { status: 204 };
      },
    },
  ];
}
