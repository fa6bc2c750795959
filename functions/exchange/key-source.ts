import { DependencyError } from '../shared/errors.js';
import type { PublicSigningJwk, SigningKey } from './signing-key-secret.js';

/**
 * Where the exchange finds its signing key and the key routes the public
 * keys. Secrets Manager in AWS (`secrets-manager-key-source.ts`), memory in
 * the local stack (`memory-key-source.ts`).
 */
export interface KeySource {
  /**
   * The key new narrow tokens are signed with (AWSCURRENT).
   * @throws SigningKeyUnavailableError when there is no usable key: fail closed.
   */
  signingKey(): Promise<SigningKey>;
  /**
   * Public halves of every key a verifier may meet: the current key, the
   * previous one (tokens signed before a rotation) and the pending one
   * (published before it signs anything).
   * @throws SigningKeyUnavailableError when the current key is unusable.
   */
  publicKeys(): Promise<readonly PublicSigningJwk[]>;
}

/** Why no signing key could be had; logged as `reason`. */
export type SigningKeyUnavailableReason =
  | 'secret_missing'
  | 'secret_malformed'
  | 'secret_unreachable';

/** No usable signing key: the exchange and the JWKS answer 500, never a guess. */
export class SigningKeyUnavailableError extends DependencyError {
  constructor(
    readonly reason: SigningKeyUnavailableReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super('signing_key_unavailable', message, options);
  }
}
