import { LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { isLocalMode, readIntegerEnv, readRequiredEnv } from '../shared/config/env.js';
import { loadEnvironmentDefinition } from '../shared/definition/environment-definition.js';
import { createLogger } from '../shared/logging/logger.js';
import { createAccessTokenVerifier } from '../shared/tokens/access-token-verifier.js';
import { prefetchKeys } from '../shared/tokens/prefetch-keys.js';
import { createAuthorizer } from './authorizer.js';
import { createLambdaExchangeClient } from './lambda-exchange-client.js';

/**
 * The REST API's REQUEST authorizer. Everything is built once per
 * container, at initialisation: a bad definition or a missing variable stops
 * the function here rather than mid-request.
 *
 * Environment:
 * - `NARROWGATE_ISSUERS`: the issuers, as JSON (see `environment-definition.ts`);
 * - `EXCHANGE_FUNCTION_NAME`: name or ARN of the exchange function;
 * - `EXCHANGE_TIMEOUT_MS`: give up on the exchange after this long (default 2000);
 * - `NARROWGATE_MODE=local`: allows http JWKS URIs (local stack only).
 */
const logger = createLogger('authorizer');
const definition = loadEnvironmentDefinition();
const verifier = createAccessTokenVerifier(definition.issuers, { allowHttp: isLocalMode() });

const authorizer = createAuthorizer({
  definition,
  verifier,
  exchange: createLambdaExchangeClient({
    lambda: new LambdaClient({}),
    functionName: readRequiredEnv('EXCHANGE_FUNCTION_NAME'),
    timeoutMs: readIntegerEnv('EXCHANGE_TIMEOUT_MS', 2000),
  }),
  logger,
});

// During initialisation, so the first request does not pay for the keys.
await prefetchKeys(() => verifier.hydrate(), logger);

export async function handler(
  event: APIGatewayRequestAuthorizerEvent,
): Promise<APIGatewayAuthorizerResult> {
  return await authorizer.authorize(event);
}
