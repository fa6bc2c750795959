import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { InvalidTokenError } from '../errors.js';
import { assertCanonicalEncoding } from './canonical-encoding.js';
import { mapVerifyError } from './map-verify-error.js';
import { maxTokenLength } from './read-bearer-token.js';

/** The part of an aws-jwt-verify verifier both of narrowgate's verifiers use. */
export interface SignatureVerifier {
  verify(token: string): Promise<JwtPayload>;
  hydrate(): Promise<void>;
}

/** Refuses a token over {@link maxTokenLength} before any other work is spent on it. */
export function assertTokenSize(token: string): void {
  if (token.length > maxTokenLength) {
    throw new InvalidTokenError('token_too_large', 'token too large');
  }
}

/**
 * The steps every token goes through before its claims are read: canonical
 * encoding, then aws-jwt-verify (signature, then the configured claim
 * checks), with its errors mapped onto narrowgate's 401/500 tree.
 */
export async function verifySignedToken(
  verifier: SignatureVerifier,
  token: string,
): Promise<JwtPayload> {
  assertCanonicalEncoding(token);
  try {
    return await verifier.verify(token);
  } catch (error) {
    throw mapVerifyError(error);
  }
}

/** Fetches the verifier's JWKS now; an unreachable one is a `DependencyError`. */
export async function hydrateSignatureVerifier(verifier: SignatureVerifier): Promise<void> {
  try {
    await verifier.hydrate();
  } catch (error) {
    throw mapVerifyError(error);
  }
}
