import { createLogger } from '../shared/logging/logger.js';
import {
  createDocumentClient,
  readServiceEnvironment,
} from '../shared/service/service-environment.js';
import { prefetchKeys } from '../shared/tokens/prefetch-keys.js';
import { createCatalogService } from './catalog-service.js';

/**
 * The catalog's Lambda entry point (REST API proxy integration). Read at
 * start-up, so a bad deployment fails at init: `TABLE_NAME`,
 * `NARROW_TOKEN_ISSUER`, `NARROW_TOKEN_JWKS_URI`, `NARROWGATE_ISSUERS`
 * (pass-through routes) and `NARROWGATE_MODE=local` (http JWKS).
 */
const environment = readServiceEnvironment();
const logger = createLogger('catalog');

export const handler = createCatalogService({
  ...environment,
  documentClient: createDocumentClient(),
  logger,
});

// During initialisation, so the first request does not pay for the keys.
await prefetchKeys(() => handler.prefetchKeys(), logger);
