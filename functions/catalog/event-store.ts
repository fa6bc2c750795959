import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { sendToStorage } from '../shared/service/storage-call.js';
import type { CatalogEvent, EventInput } from './event-schema.js';

/**
 * The catalog's table layout (`pk` + `sk`, both strings):
 *
 * | pk | sk | attributes |
 * | --- | --- | --- |
 * | `EVENT` | `EVENT#<id>` | the {@link CatalogEvent} fields |
 *
 * All events share one partition so that a listing is one Query in `sk`
 * (id) order, paged by DynamoDB's own key: no Scan, which the function's
 * role does not have. One partition serves a catalog of thousands of
 * events; a larger one would shard `pk` by a date bucket.
 */
export const eventPartition = 'EVENT';

/** The `sk` of event `id`. */
export function eventSortKey(id: string): string {
  return `EVENT#${id}`;
}

/** The item an event is stored as. */
export function toEventItem(event: CatalogEvent): Record<string, unknown> {
  return { pk: eventPartition, sk: eventSortKey(event.id), ...event };
}

export interface EventPage {
  readonly events: CatalogEvent[];
  /** The id of the page's last event when more may follow. */
  readonly lastId: string | undefined;
}

export interface EventStoreOptions {
  readonly documentClient: DynamoDBDocumentClient;
  /** The catalog's table. */
  readonly tableName: string;
  /** The clock for `createdAt` and `updatedAt`. @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * Storage of catalog events. Reads and writes address one item by key;
 * writes are conditional so that an update never recreates a deleted event
 * and a create never overwrites one. `false` from a write means its
 * condition failed.
 */
export function createEventStore(options: EventStoreOptions) {
  const { documentClient, tableName } = options;
  const now = options.now ?? (() => new Date());
  const key = (id: string) => ({ pk: eventPartition, sk: eventSortKey(id) });

  return {
    async list(limit: number, afterId: string | undefined): Promise<EventPage> {
      const result = await sendToStorage(() =>
        documentClient.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': eventPartition },
            Limit: limit,
            ExclusiveStartKey: afterId === undefined ? undefined : key(afterId),
          }),
        ),
      );
      const events = (result?.Items ?? []).map(fromItem);
      const more = result?.LastEvaluatedKey !== undefined;
      return { events, lastId: more ? events.at(-1)?.id : undefined };
    },

    async get(id: string): Promise<CatalogEvent | undefined> {
      const result = await sendToStorage(() =>
        documentClient.send(new GetCommand({ TableName: tableName, Key: key(id) })),
      );
      return result?.Item ? fromItem(result.Item) : undefined;
    },

    /** Stores a new event; `false` when the id is taken. */
    async create(id: string, input: EventInput): Promise<CatalogEvent | false> {
      const at = now().toISOString();
      const event: CatalogEvent = { id, ...input, createdAt: at, updatedAt: at, version: 1 };
      const result = await sendToStorage(() =>
        documentClient.send(
          new PutCommand({
            TableName: tableName,
            Item: toEventItem(event),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return result ? event : false;
    },

    /** Replaces an existing event's fields; `false` when there is no such event. */
    async update(id: string, input: EventInput): Promise<CatalogEvent | false> {
      const result = await sendToStorage(() =>
        documentClient.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(id),
            ConditionExpression: 'attribute_exists(pk)',
            UpdateExpression:
              'SET #name = :name, artist = :artist, venue = :venue, startsAt = :startsAt, ' +
              'price = :price, updatedAt = :updatedAt, version = version + :one',
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: {
              ':name': input.name,
              ':artist': input.artist,
              ':venue': input.venue,
              ':startsAt': input.startsAt,
              ':price': input.price,
              ':updatedAt': now().toISOString(),
              ':one': 1,
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result?.Attributes ? fromItem(result.Attributes) : false;
    },

    /** Deletes an event; `false` when there was none. */
    async delete(id: string): Promise<boolean> {
      const result = await sendToStorage(() =>
        documentClient.send(
          new DeleteCommand({ TableName: tableName, Key: key(id), ReturnValues: 'ALL_OLD' }),
        ),
      );
      return result?.Attributes !== undefined;
    },

    /** Writes `event` as given, replacing any event with its id. For seeding only. */
    async save(event: CatalogEvent): Promise<void> {
      await sendToStorage(() =>
        documentClient.send(new PutCommand({ TableName: tableName, Item: toEventItem(event) })),
      );
    },
  };
}

export type EventStore = ReturnType<typeof createEventStore>;

// Items are written only by this module, so their fields are known; the
// keys are dropped so that clients never see the table's layout.
function fromItem(item: Record<string, unknown>): CatalogEvent {
  const { pk: _pk, sk: _sk, ...event } = item;
  return event as unknown as CatalogEvent;
}
