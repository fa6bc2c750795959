import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { readRequiredEnv } from '../shared/config/env.js';
import { createLogger } from '../shared/logging/logger.js';
import { createKeyRoutes, keyRoutesRefreshSeconds } from './key-routes.js';
import { createSecretsManagerKeySource } from './secrets-manager-key-source.js';

/**
 * GET /.well-known/jwks.json and GET /.well-known/oauth-authorization-server.
 * Env: SIGNING_KEY_SECRET_ARN (read: GetSecretValue only), NARROW_TOKEN_ISSUER.
 */
const logger = createLogger('exchange-keys');
const routes = createKeyRoutes({
  keys: createSecretsManagerKeySource({
    secretId: readRequiredEnv('SIGNING_KEY_SECRET_ARN'),
    refreshSeconds: keyRoutesRefreshSeconds,
    logger,
  }),
  issuer: readRequiredEnv('NARROW_TOKEN_ISSUER'),
  logger,
});

export async function handler(
  event: APIGatewayProxyEvent,
  context?: Context,
): Promise<APIGatewayProxyResult> {
  if (context) logger.addContext(context);
  return await routes.handle(event);
}
