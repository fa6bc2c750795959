import { isLocalMode, readJsonEnv } from '../config/env.js';
import * as z from '../config/schema-library.js';
import { loadDefinition } from './load-definition.js';
import type { Definition } from './schema.js';
import { shopExchange, shopRoutes, shopServices } from './shop-definition.js';

/** The variable holding this environment's issuers, as a JSON array. */
export const issuersVariable = 'NARROWGATE_ISSUERS';

/**
 * The shop's definition completed with this environment's issuers from
 * `NARROWGATE_ISSUERS`, validated. Call once at module scope.
 */
export function loadEnvironmentDefinition(env: NodeJS.ProcessEnv = process.env): Definition {
  const issuers = readJsonEnv(issuersVariable, z.array(z.unknown()), env);
  return loadDefinition(
    { issuers, services: shopServices, routes: shopRoutes, exchange: shopExchange },
    { allowHttp: isLocalMode(env) },
  );
}
