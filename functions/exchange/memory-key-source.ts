import type { KeySource } from './key-source.js';
import { createSigningKeySecret, readSigningKeySecret } from './signing-key-secret.js';

/**
 * A key source holding one key in memory, made when it is created: the
 * local stack's stand-in for Secrets Manager. Tokens it signed stop
 * verifying when the process ends, which is what a local run wants.
 *
 * @example
 * const keys = await createMemoryKeySource();
 */
export async function createMemoryKeySource(
  /** A `SecretString` to use instead of a new key (tests). */
  secretString?: string,
): Promise<KeySource> {
  const key = await readSigningKeySecret(secretString ?? (await createSigningKeySecret()));
  return {
    signingKey: async () => key,
    publicKeys: async () => [key.publicJwk],
  };
}
