import * as z from '../shared/config/schema-library.js';
import { eventIdSchema } from '../shared/service/event-id.js';
import { ValidationError } from '../shared/service/request-errors.js';

/**
 * Page cursors: opaque to clients, but not secret. A cursor is the id of
 * the last event of a page, wrapped in versioned JSON and base64url. It is
 * not signed because it grants nothing: an edited cursor that still decodes
 * to a well-formed id only moves the start of the page; anything else is
 * refused with 400 before DynamoDB sees it.
 */

const cursorSchema = z.strictObject({ v: z.literal(1), after: eventIdSchema });

/** The cursor that continues a listing after event `id`. */
export function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: id }), 'utf8').toString('base64url');
}

/** The event id a cursor continues after, or a 400 naming `query.cursor`. */
export function decodeCursor(cursor: string): string {
  const invalid = () =>
    new ValidationError([{ path: 'query.cursor', message: 'is not a cursor this API issued' }]);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();

  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorSchema.safeParse(value);
  if (!parsed.success) throw invalid();
  return parsed.data.after;
}
