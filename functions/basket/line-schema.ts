import * as z from '../shared/config/schema-library.js';

/** The most of one event a basket may hold. */
export const maxQuantity = 10;

/** The body of `PUT /basket/lines/{eventId}`: the line's new quantity, not an increment. */
export const lineInputSchema = z.strictObject({
  quantity: z
    .number()
    .check(
      z.int('must be a whole number'),
      z.minimum(1, `must be from 1 to ${maxQuantity}`),
      z.maximum(maxQuantity, `must be from 1 to ${maxQuantity}`),
    ),
});

export type LineInput = z.infer<typeof lineInputSchema>;

/** One line of a basket, as the service answers with it. */
export interface BasketLine {
  readonly eventId: string;
  readonly quantity: number;
  /** ISO 8601 UTC time of the line's last change. */
  readonly updatedAt: string;
}
