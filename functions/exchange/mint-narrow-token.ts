import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { narrowTokenAlgorithm, narrowTokenType } from '../shared/tokens/narrow-token-profile.js';
import type { SigningKey } from './signing-key-secret.js';

/** The content of one narrow token; times in seconds since the epoch. */
export interface NarrowTokenContent {
  /** The exchange's issuer URL. */
  readonly issuer: string;
  /** The subject token's `sub`. */
  readonly subject: string;
  /**
   * The subject token's verified `iss`: a `sub` is unique only within its
   * issuer, so the pair is written as `sub_id` (RFC 9493 `iss_sub`).
   */
  readonly subjectIssuer: string;
  /** The subject token's client, read by its issuer's dialect; left out when it has none. */
  readonly clientId: string | undefined;
  /** The one service's audience. */
  readonly audience: string;
  readonly scopes: readonly string[];
  /** The gateway's identity, written as `act.sub`. */
  readonly actor: string;
  /** The subject token's own `act`, nested under ours (RFC 8693 §4.1). */
  readonly priorActor: Record<string, unknown> | undefined;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/**
 * The expiry of a narrow token: `lifetimeSeconds` from now, never later
 * than the subject token's own `exp`, so an exchange cannot extend a
 * client's access. Whole seconds: a subject `exp` may be fractional (JWT
 * NumericDate), and is rounded down so that the cap still holds and
 * `expires_in` stays the integer RFC 6749 and the authorizer require.
 */
export function narrowTokenExpiry(
  nowSeconds: number,
  lifetimeSeconds: number,
  subjectExpiresAt: number,
): number {
  return Math.min(nowSeconds + lifetimeSeconds, Math.floor(subjectExpiresAt));
}

/**
 * Signs a narrow token to the profile in `narrow-token-profile.ts`: ES256,
 * `typ: at+jwt`, the key's `kid`. The claims of our own choosing go in
 * first and the registered ones are set after them, so nothing carried
 * over from the subject can stand in for `iss`, `sub`, `sub_id`, `aud`,
 * `iat`, `exp` or `jti`.
 */
export async function mintNarrowToken(
  content: NarrowTokenContent,
  key: SigningKey,
): Promise<string> {
  const act =
    content.priorActor === undefined
      ? { sub: content.actor }
      : { sub: content.actor, act: content.priorActor };
  const custom: Record<string, unknown> = { act, scope: content.scopes.join(' ') };
  if (content.clientId !== undefined) custom.client_id = content.clientId;
  // RFC 9493 subject identifier, after the custom claims so none can replace
  // it: services key callers by issuer and subject, since two issuers may
  // hand out the same `sub` (a client id, for client-credentials tokens).
  const claims = {
    ...custom,
    sub_id: { format: 'iss_sub', iss: content.subjectIssuer, sub: content.subject },
  };

  return await new SignJWT(claims)
    .setProtectedHeader({ alg: narrowTokenAlgorithm, typ: narrowTokenType, kid: key.kid })
    .setIssuer(content.issuer)
    .setSubject(content.subject)
    .setAudience(content.audience)
    .setIssuedAt(content.issuedAt)
    .setExpirationTime(content.expiresAt)
    .setJti(randomUUID())
    .sign(key.privateKey);
}
