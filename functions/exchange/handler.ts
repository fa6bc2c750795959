import type { Context } from 'aws-lambda';
import { isLocalMode, readIntegerEnv, readRequiredEnv } from '../shared/config/env.js';
import { loadEnvironmentDefinition } from '../shared/definition/environment-definition.js';
import { createLogger } from '../shared/logging/logger.js';
import { createAccessTokenVerifier } from '../shared/tokens/access-token-verifier.js';
import { prefetchKeys } from '../shared/tokens/prefetch-keys.js';
import { createExchange, type ExchangeAnswer } from './exchange.js';
import { keyActivationDelaySeconds } from './key-routes.js';
import { createSecretsManagerKeySource } from './secrets-manager-key-source.js';

/**
 * The exchange Lambda, invoked by the authorizer with an RFC 8693 request
 * as its payload. Env, read once here so a bad deploy fails at start-up:
 * NARROWGATE_ISSUERS, SIGNING_KEY_SECRET_ARN, NARROW_TOKEN_ISSUER,
 * NARROWGATE_MODE (`local` allows http issuers), and optionally
 * SIGNING_KEY_ACTIVATION_DELAY_SECONDS (default: the key routes' refresh
 * plus the JWKS max-age).
 */
const logger = createLogger('exchange');
const definition = loadEnvironmentDefinition();
const verifier = createAccessTokenVerifier(definition.issuers, { allowHttp: isLocalMode() });
const keys = createSecretsManagerKeySource({
  secretId: readRequiredEnv('SIGNING_KEY_SECRET_ARN'),
  activationDelaySeconds: readIntegerEnv(
    'SIGNING_KEY_ACTIVATION_DELAY_SECONDS',
    keyActivationDelaySeconds,
  ),
  logger,
});
const exchange = createExchange({
  definition,
  verifier,
  keys,
  issuer: readRequiredEnv('NARROW_TOKEN_ISSUER'),
  logger,
});

// During initialisation, so the first exchange pays for neither the issuers'
// keys nor the signing key.
await Promise.all([
  prefetchKeys(() => verifier.hydrate(), logger),
  prefetchKeys(() => keys.signingKey(), logger),
]);

/**
 * Answers the RFC 8693 response or an error object. It returns, never
 * throws, even when the signing key is unavailable (`server_error`): a
 * thrown error would hand the caller a stack trace in the Invoke payload.
 */
export async function handler(request: unknown, context?: Context): Promise<ExchangeAnswer> {
  if (context) logger.addContext(context);
  return await exchange.exchange(request);
}
