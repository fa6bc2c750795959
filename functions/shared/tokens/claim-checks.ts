import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import { InvalidTokenError } from '../errors.js';

/**
 * Checks aws-jwt-verify leaves to its caller. They run in its
 * `customJwtCheck`, so only ever after the signature has been verified.
 */

/** The header's `alg` must be on this hop's allow-list. */
export function assertAlgorithmAllowed(header: JwtHeader, allowed: readonly string[]): void {
  if (typeof header.alg !== 'string' || !allowed.includes(header.alg)) {
    throw new InvalidTokenError('token_algorithm_not_allowed', 'algorithm not allowed', 'alg');
  }
}

/**
 * No `crit` header. RFC 7515 §4.1.11: a recipient that does not understand
 * every extension `crit` lists MUST refuse the token, and aws-jwt-verify
 * ignores `crit` altogether. narrowgate understands no extension, so a
 * token that asks for one is refused rather than read without it.
 */
export function assertNoCriticalExtensions(header: JwtHeader): void {
  if (Object.hasOwn(header, 'crit')) {
    throw new InvalidTokenError(
      'token_malformed',
      'critical header extensions unsupported',
      'crit',
    );
  }
}

export interface TokenTypeRule {
  /** Accepted `typ` values, compared exactly. */
  readonly tokenTypes: readonly string[];
  /** Whether a token without `typ` is accepted. */
  readonly acceptUntypedTokens: boolean;
}

/** The header's `typ` must be an accepted one, or absent where that is allowed. */
export function assertTokenType(header: JwtHeader, rule: TokenTypeRule): void {
  const { typ } = header;
  if (typ === undefined && rule.acceptUntypedTokens) return;
  if (typeof typ !== 'string' || !rule.tokenTypes.includes(typ)) {
    throw new InvalidTokenError('token_type_not_allowed', 'token type not allowed', 'typ');
  }
}

/**
 * `exp` must be present (aws-jwt-verify accepts a token without one) and
 * `iat` must not lie in the future beyond the leeway. aws-jwt-verify has
 * already refused non-numeric values and checked `exp` and `nbf` themselves.
 */
export function assertLifetime(
  payload: JwtPayload,
  leewaySeconds: number,
  nowSeconds: number,
): void {
  if (payload.exp === undefined) {
    throw new InvalidTokenError('token_claim_invalid', 'token has no expiry', 'exp');
  }
  if (payload.iat !== undefined && payload.iat > nowSeconds + leewaySeconds) {
    throw new InvalidTokenError('token_issued_in_future', 'token issued in the future', 'iat');
  }
}

/** `sub` must be a non-empty string: the basket is keyed by it (with its issuer). */
export function readSubject(payload: JwtPayload): string {
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw new InvalidTokenError('token_claim_invalid', 'token has no subject', 'sub');
  }
  return payload.sub;
}
