import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { createLogger } from '../shared/logging/logger.js';
import { createRotation, RotationError } from './rotation.js';

/**
 * The signing key secret's rotation Lambda. Secrets Manager invokes it with
 * `{ SecretId, ClientRequestToken, Step }` for each of the four steps.
 * Needs secretsmanager:DescribeSecret, GetSecretValue, PutSecretValue and
 * UpdateSecretVersionStage on that secret only.
 */
const logger = createLogger('exchange-rotation');
const rotate = createRotation({ client: new SecretsManagerClient({}), logger });

export async function handler(event: unknown, context?: Context): Promise<void> {
  if (context) logger.addContext(context);
  try {
    await rotate(event);
  } catch (error) {
    // Rethrown so Secrets Manager sees the step fail and retries it.
    logger.error('rotation step failed', {
      code: error instanceof RotationError ? error.code : 'rotation_failed',
      error_name: error instanceof Error ? error.name : typeof error,
    });
    throw error;
  }
}
