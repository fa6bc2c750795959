import * as z from '../config/schema-library.js';

/**
 * A catalog event id as both services accept it in paths and bodies:
 * 1 to 64 letters, digits, `-` or `_`. The catalog makes UUIDs; seeds may
 * use readable ids. The basket checks only the form: the services do not
 * call each other, so a line may name an event the catalog no longer has.
 */
export const eventIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "-" or "_"'));
