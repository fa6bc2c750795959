import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CatalogEvent } from './event-schema.js';
import { createEventStore } from './event-store.js';

const seededAt = '2026-01-01T00:00:00.000Z';

function sample(
  id: string,
  fields: Omit<CatalogEvent, 'id' | 'createdAt' | 'updatedAt' | 'version'>,
): CatalogEvent {
  return { id, ...fields, createdAt: seededAt, updatedAt: seededAt, version: 1 };
}

/**
 * A handful of events for the local stack and demos, with fixed readable
 * ids so that a demo can name one (`GET /catalog/events/evt-harbour-jazz`).
 */
export const sampleEvents: readonly CatalogEvent[] = [
  sample('evt-harbour-jazz', {
    name: 'Jazz on the Harbour',
    artist: 'The Quayside Quartet',
    venue: 'Harbour Stage',
    startsAt: '2026-06-12T19:30:00+02:00',
    price: { amountMinor: 3500, currency: 'EUR' },
  }),
  sample('evt-string-theory', {
    name: 'String Theory',
    artist: 'Northern Chamber Strings',
    venue: 'Old Town Hall',
    startsAt: '2026-07-03T20:00:00+01:00',
    price: { amountMinor: 4200, currency: 'GBP' },
  }),
  sample('evt-midnight-synth', {
    name: 'Midnight Synth',
    artist: 'Lumen Array',
    venue: 'The Depot',
    startsAt: '2026-08-21T23:00:00Z',
    price: { amountMinor: 2800, currency: 'EUR' },
  }),
  sample('evt-folk-morning', {
    name: 'Folk in the Morning',
    artist: 'Hazel and the Hollow',
    venue: 'Riverside Park',
    startsAt: '2026-09-06T10:00:00-04:00',
    price: { amountMinor: 1500, currency: 'USD' },
  }),
];

export interface SeedCatalogOptions {
  readonly documentClient: DynamoDBDocumentClient;
  /** The catalog's table, already created with `pk`/`sk` string keys. */
  readonly tableName: string;
}

/**
 * Writes `events` (the samples by default) through the catalog's own
 * storage module, so seeded items have exactly the layout the service
 * reads. Replaces events with the same ids; safe to run twice.
 */
export async function seedCatalogEvents(
  options: SeedCatalogOptions,
  events: readonly CatalogEvent[] = sampleEvents,
): Promise<void> {
  const store = createEventStore(options);
  for (const event of events) await store.save(event);
}
