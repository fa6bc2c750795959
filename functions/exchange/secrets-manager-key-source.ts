import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { Logger } from '../shared/logging/logger.js';
import { type KeySource, SigningKeyUnavailableError } from './key-source.js';
import {
  type PublicSigningJwk,
  readSigningKeySecret,
  type SigningKey,
} from './signing-key-secret.js';

export interface SecretsManagerKeySourceOptions {
  /** ARN or name of the signing key secret. */
  readonly secretId: string;
  /** @default a new SecretsManagerClient with the Lambda's region and role */
  readonly client?: SecretsManagerClient;
  /**
   * Seconds a loaded key set is used before it is read again. Bounds how
   * long a container signs with a key after rotation moved it on.
   * @default 300
   */
  readonly refreshSeconds?: number;
  /**
   * Seconds a new AWSCURRENT must have existed before it signs; until then
   * AWSPREVIOUS signs, when it is usable. Rotation runs its four steps within
   * seconds, so without a delay the exchange could sign with a key that a
   * JWKS container or a cache has not yet published. Set it to at least
   * the key routes' refresh plus their `Cache-Control` max-age. 0 disables.
   * @default 0
   */
  readonly activationDelaySeconds?: number;
  /** Told, by code, about skipped AWSPREVIOUS or AWSPENDING versions. */
  readonly logger?: Logger;
  /** The clock, in milliseconds since the epoch, read at each call. @default () => Date.now() */
  readonly now?: () => number;
}

/** The staging labels the key routes publish, in the order they are read. */
export const publishedStages = ['AWSCURRENT', 'AWSPREVIOUS', 'AWSPENDING'] as const;
type Stage = (typeof publishedStages)[number];

interface StagedKey {
  readonly key: SigningKey;
  /** When Secrets Manager created the version, in milliseconds. */
  readonly createdAt: number;
}

interface KeySet {
  readonly loadedAt: number;
  readonly current: StagedKey;
  readonly previous: StagedKey | undefined;
  readonly pending: StagedKey | undefined;
}

/**
 * Signing keys from one Secrets Manager secret, read once per container and
 * again every `refreshSeconds`. The exchange signs with AWSCURRENT; the key
 * routes publish AWSCURRENT, AWSPREVIOUS and AWSPENDING.
 *
 * Fails closed: an AWSCURRENT that is missing, malformed or unreachable
 * throws {@link SigningKeyUnavailableError} (reason `secret_missing`,
 * `secret_malformed` or `secret_unreachable`) on every call until it is
 * fixed; nothing stale or made up is used instead. An unusable AWSPREVIOUS
 * or AWSPENDING is left out (a new stack's first rotation leaves the
 * placeholder value as AWSPREVIOUS) and logged as `signing_key_skipped`.
 *
 * Needs `secretsmanager:GetSecretValue` on the secret (and `kms:Decrypt` on
 * its key, when it has a customer managed one).
 */
export function createSecretsManagerKeySource(options: SecretsManagerKeySourceOptions): KeySource {
  const client = options.client ?? new SecretsManagerClient({});
  const refreshMs = (options.refreshSeconds ?? 300) * 1000;
  const delayMs = (options.activationDelaySeconds ?? 0) * 1000;
  const now = options.now ?? (() => Date.now());
  let cached: KeySet | undefined;
  let loading: Promise<KeySet> | undefined;

  async function readStage(stage: Stage): Promise<StagedKey | undefined> {
    let response: GetSecretValueCommandOutput;
    try {
      response = await client.send(
        new GetSecretValueCommand({ SecretId: options.secretId, VersionStage: stage }),
      );
    } catch (error) {
      if (
        error instanceof ResourceNotFoundException ||
        isNamed(error, 'ResourceNotFoundException')
      ) {
        return undefined;
      }
      throw new SigningKeyUnavailableError('secret_unreachable', `cannot read ${stage}`, {
        cause: error,
      });
    }
    if (response.SecretString === undefined) {
      throw new SigningKeyUnavailableError('secret_malformed', `${stage} has no SecretString`);
    }
    try {
      const key = await readSigningKeySecret(response.SecretString);
      return { key, createdAt: response.CreatedDate?.getTime() ?? 0 };
    } catch (error) {
      throw new SigningKeyUnavailableError('secret_malformed', `${stage} is not a signing key`, {
        cause: error,
      });
    }
  }

  async function readOptionalStage(stage: Stage): Promise<StagedKey | undefined> {
    try {
      return await readStage(stage);
    } catch (error) {
      if (!(error instanceof SigningKeyUnavailableError) || error.reason !== 'secret_malformed') {
        throw error;
      }
      options.logger?.warn('signing key version skipped', {
        code: 'signing_key_skipped',
        stage,
        reason: error.reason,
      });
      return undefined;
    }
  }

  async function load(): Promise<KeySet> {
    const [current, previous, pending] = await Promise.all([
      readStage('AWSCURRENT'),
      readOptionalStage('AWSPREVIOUS'),
      readOptionalStage('AWSPENDING'),
    ]);
    if (!current) throw new SigningKeyUnavailableError('secret_missing', 'no AWSCURRENT version');
    return { loadedAt: now(), current, previous, pending };
  }

  async function keySet(): Promise<KeySet> {
    if (cached && now() - cached.loadedAt < refreshMs) return cached;
    // One read at a time per container, however many requests wait on it.
    loading ??= load().finally(() => {
      loading = undefined;
    });
    cached = await loading;
    return cached;
  }

  return {
    async signingKey() {
      const { current, previous } = await keySet();
      const tooNew = now() - current.createdAt < delayMs;
      return tooNew && previous ? previous.key : current.key;
    },
    async publicKeys() {
      const { current, previous, pending } = await keySet();
      const byKid = new Map<string, PublicSigningJwk>();
      for (const staged of [current, previous, pending]) {
        if (staged) byKid.set(staged.key.kid, staged.key.publicJwk);
      }
      return [...byKid.values()];
    },
  };
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
