import * as z from '../config/schema-library.js';
import type { ServiceRequest } from './service-handler.js';
import { validate } from './validate.js';

/**
 * A catalog event id as both services accept it in paths and bodies:
 * 1 to 64 letters, digits, `-` or `_`. The catalog makes UUIDs; seeds may
 * use readable ids. The basket checks only the form: the services do not
 * call each other, so a line may name an event the catalog no longer has.
 */
export const eventIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "-" or "_"'));

/** The `{eventId}` path parameter, checked, or a 400 naming `path.eventId`. */
export function readEventId(request: ServiceRequest): string {
  return validate(eventIdSchema, request.pathParameters.eventId, 'path.eventId');
}
