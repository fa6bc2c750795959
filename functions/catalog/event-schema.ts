import * as z from '../shared/config/schema-library.js';

/**
 * A catalog event as clients write it. Objects are strict: a field the
 * catalog does not know is refused, not silently dropped, so a typo in
 * `startsAt` is a 400 rather than an event without a start.
 */

const text = (max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(max, `must be at most ${max} characters`),
    );

/** ISO 4217 alphabetic code, e.g. `EUR`. */
const currencyCode = z
  .string()
  .check(z.regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code'));

/** Largest price accepted, in minor units (ten million of the major unit). */
export const maxPriceMinorUnits = 1_000_000_000;

export const priceSchema = z.strictObject({
  /** The price in the currency's minor units (cents for EUR): an integer, never a float. */
  amountMinor: z
    .number()
    .check(
      z.int('must be a whole number of minor units'),
      z.minimum(0),
      z.maximum(maxPriceMinorUnits),
    ),
  currency: currencyCode,
});

export const eventInputSchema = z.strictObject({
  name: text(200),
  artist: text(200),
  venue: text(200),
  /** ISO 8601 date and time with a UTC offset, e.g. `2026-05-01T19:30:00+02:00`. */
  startsAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with offset' }),
  price: priceSchema,
});

/** What a client sends to create or replace an event. */
export type EventInput = z.infer<typeof eventInputSchema>;

/** A stored event, as the catalog answers with it. */
export interface CatalogEvent extends EventInput {
  readonly id: string;
  /** ISO 8601 UTC times the catalog writes itself. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Counts writes, starting at 1. */
  readonly version: number;
}

/** Page size when the client names none, and the most it may ask for. */
export const defaultPageSize = 20;
export const maxPageSize = 100;

export const listQuerySchema = z.object({
  limit: z.optional(
    z.pipe(
      z.pipe(
        z.string().check(z.regex(/^\d{1,3}$/, `must be a whole number from 1 to ${maxPageSize}`)),
        z.transform(Number),
      ),
      z.number().check(z.minimum(1), z.maximum(maxPageSize)),
    ),
  ),
  cursor: z.optional(z.string().check(z.maxLength(512, 'is too long'))),
});
