/**
 * The one place the functions get their schema library from: zod's
 * tree-shakable `zod/mini` API, with its English messages. zod/mini ships no
 * locale, so without `config(en())` every issue would read "Invalid input";
 * configuring it here, in the module every schema imports, means the locale
 * is set before any schema can parse. Classic `zod` is not used in
 * `functions/`: it cannot be tree-shaken and costs ~90 KB in every bundle.
 *
 * @example
 * import * as z from '../config/schema-library.js';
 * const quantity = z.number().check(z.int(), z.minimum(1));
 */

import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
