import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import * as z from '../shared/config/schema-library.js';
import type { Logger } from '../shared/logging/logger.js';
import {
  assertSigningKeyWorks,
  createSigningKeySecret,
  readSigningKeySecret,
} from './signing-key-secret.js';

/** The event Secrets Manager invokes a rotation function with. */
export const rotationEventSchema = z.object({
  SecretId: z.string().check(z.minLength(1)),
  ClientRequestToken: z.string().check(z.minLength(1)),
  Step: z.enum(['createSecret', 'setSecret', 'testSecret', 'finishSecret']),
});
export type RotationEvent = z.infer<typeof rotationEventSchema>;

/** Why a rotation step stopped; Secrets Manager retries, then marks the rotation failed. */
export type RotationErrorCode =
  | 'rotation_event_invalid'
  | 'rotation_not_enabled'
  | 'rotation_version_unknown'
  | 'rotation_version_not_pending'
  | 'rotation_pending_invalid';

export class RotationError extends Error {
  override readonly name = 'RotationError';

  constructor(
    readonly code: RotationErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface RotationOptions {
  readonly client: SecretsManagerClient;
  /** @default no logging */
  readonly logger?: Logger;
}

/**
 * The four steps of a Secrets Manager rotation for the signing key secret.
 * Every step may run more than once, as Secrets Manager retries, and ends
 * in the same state each time. Uses DescribeSecret, GetSecretValue,
 * PutSecretValue and UpdateSecretVersionStage only; logs version ids,
 * steps and codes, never a key.
 *
 * @example
 * const rotate = createRotation({ client: new SecretsManagerClient({}) });
 * await rotate({ SecretId, ClientRequestToken, Step: 'createSecret' });
 */
export function createRotation(options: RotationOptions): (event: unknown) => Promise<void> {
  const { client, logger } = options;

  async function createSecret(secretId: string, token: string): Promise<void> {
    // Retried: the pending version already holds a value; keep it.
    if (await pendingValue(secretId, token)) {
      logger?.info('pending key already created', { step: 'createSecret', version: token });
      return;
    }
    // The ClientRequestToken is the version id, so a racing retry cannot add a second key.
    await client.send(
      new PutSecretValueCommand({
        SecretId: secretId,
        ClientRequestToken: token,
        SecretString: await createSigningKeySecret(),
        VersionStages: ['AWSPENDING'],
      }),
    );
    logger?.info('pending key created', { step: 'createSecret', version: token });
  }

  async function testSecret(secretId: string, token: string): Promise<void> {
    const value = await pendingValue(secretId, token);
    if (value === undefined) {
      throw new RotationError('rotation_pending_invalid', 'pending version has no value');
    }
    try {
      await assertSigningKeyWorks(await readSigningKeySecret(value));
    } catch (error) {
      throw new RotationError('rotation_pending_invalid', 'pending key does not sign', {
        cause: error,
      });
    }
    logger?.info('pending key signs and verifies', { step: 'testSecret', version: token });
  }

  async function finishSecret(
    secretId: string,
    token: string,
    stages: Record<string, string[]>,
  ): Promise<void> {
    const current = Object.entries(stages).find(([, labels]) => labels.includes('AWSCURRENT'));
    // Moving AWSCURRENT also moves AWSPREVIOUS to the version it left, so
    // tokens signed before this step still find their key in the JWKS.
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
        RemoveFromVersionId: current?.[0],
      }),
    );
    // Secrets Manager drops AWSPENDING itself after a rotation; doing it here
    // too leaves the same end state and lets the next rotation start at once.
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: 'AWSPENDING',
        RemoveFromVersionId: token,
      }),
    );
    logger?.info('pending key made current', { step: 'finishSecret', version: token });
  }

  async function pendingValue(secretId: string, token: string): Promise<string | undefined> {
    try {
      const response = await client.send(
        new GetSecretValueCommand({
          SecretId: secretId,
          VersionId: token,
          VersionStage: 'AWSPENDING',
        }),
      );
      return response.SecretString;
    } catch (error) {
      if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  return async (input) => {
    const parsed = rotationEventSchema.safeParse(input);
    if (!parsed.success) {
      throw new RotationError('rotation_event_invalid', 'not a rotation event');
    }
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = parsed.data;

    // Staging: act only on a version Secrets Manager set up for this rotation.
    const metadata = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    if (!metadata.RotationEnabled) {
      throw new RotationError('rotation_not_enabled', 'rotation is not enabled on the secret');
    }
    const stages = metadata.VersionIdsToStages ?? {};
    const labels = stages[token];
    if (!labels) {
      throw new RotationError('rotation_version_unknown', 'version is not staged for rotation');
    }
    if (labels.includes('AWSCURRENT')) {
      // A retried finishSecret, or a stale invocation: nothing is left to do.
      logger?.info('version already current', { step, version: token });
      return;
    }
    if (!labels.includes('AWSPENDING')) {
      throw new RotationError('rotation_version_not_pending', 'version is not AWSPENDING');
    }

    switch (step) {
      case 'createSecret':
        return await createSecret(secretId, token);
      case 'setSecret':
        // Nothing to set: no other system holds this key. Verifiers read
        // the public half from the JWKS, which already lists AWSPENDING.
        logger?.info('nothing to set', { step, version: token });
        return;
      case 'testSecret':
        return await testSecret(secretId, token);
      case 'finishSecret':
        return await finishSecret(secretId, token, stages);
    }
  };
}
