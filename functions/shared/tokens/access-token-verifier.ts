import { JwtVerifier } from 'aws-jwt-verify';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { IssuerConfig } from '../definition/schema.js';
import { InvalidTokenError } from '../errors.js';
import {
  assertAlgorithmAllowed,
  assertLifetime,
  assertNoCriticalExtensions,
  assertTokenType,
  readSubject,
} from './claim-checks.js';
import { assertCognitoAccessToken, readDialect } from './dialects.js';
import { createJwksCache } from './jwks-cache.js';
import { withKeyAlgorithmCheck } from './key-algorithm.js';
import {
  createVerifiedTokenCache,
  type VerifiedTokenCacheOptions,
} from './verified-token-cache.js';
import {
  assertTokenSize,
  hydrateSignatureVerifier,
  verifySignedToken,
} from './verify-signed-token.js';

/** What the gateway and the exchange know about a verified client token. */
export interface VerifiedAccessToken {
  /** The issuer's configuration, as the definition holds it. */
  readonly issuer: IssuerConfig;
  readonly subject: string;
  readonly clientId: string | undefined;
  /** Gateway scopes, read by the issuer's dialect. */
  readonly scopes: readonly string[];
  /** `exp`, in seconds since the epoch. */
  readonly expiresAt: number;
  /** The verified payload. Hand on claim names, never the payload itself, to logs. */
  readonly payload: JwtPayload;
}

export interface AccessTokenVerifier {
  /**
   * Verifies a client's access token against the definition's issuers, or
   * throws `InvalidTokenError` (401) or `DependencyError` (500).
   */
  verify(token: string): Promise<VerifiedAccessToken>;
  /** Fetches every issuer's JWKS now, so that cold start pays for it once. */
  hydrate(): Promise<void>;
}

export interface AccessTokenVerifierOptions {
  /** A JWKS cache; tests hand keys in through it. @default createJwksCache() */
  readonly jwksCache?: JwksCache;
  /** Allow http JWKS URIs (local stack only). @default false */
  readonly allowHttp?: boolean;
  /**
   * Reuse of successful verifications of the same token text; `false`
   * verifies every call. @default createVerifiedTokenCache() (60 s, 10,000 tokens)
   */
  readonly verifiedTokens?: VerifiedTokenCacheOptions | false;
}

/**
 * The one verification of client tokens, shared by the authorizer and the
 * exchange: signature through the issuer's JWKS (aws-jwt-verify), then the
 * issuer's algorithm and token-type allow-lists, lifetime, audience (or
 * Cognito's `token_use` and `client_id`) and subject.
 *
 * @example
 * const verifier = createAccessTokenVerifier(definition.issuers);
 * await verifier.hydrate();
 * const token = await verifier.verify(readBearerToken(event.headers));
 */
export function createAccessTokenVerifier(
  issuers: readonly IssuerConfig[],
  options: AccessTokenVerifierOptions = {},
): AccessTokenVerifier {
  const byIssuer = new Map(issuers.map((issuer) => [issuer.issuer, issuer]));
  const jwksCache = withKeyAlgorithmCheck(
    options.jwksCache ?? createJwksCache({ allowHttp: options.allowHttp ?? false }),
  );

  const verifier = JwtVerifier.create(
    issuers.map((issuer) => ({
      issuer: issuer.issuer,
      jwksUri: issuer.jwksUri,
      // Cognito access tokens have no `aud`: `customJwtCheck` checks
      // `token_use` and `client_id` for them instead.
      audience: issuer.dialect === 'cognito' ? null : issuer.audience,
      graceSeconds: issuer.clockLeewaySeconds,
      customJwtCheck: ({ header, payload }: { header: JwtHeader; payload: JwtPayload }) => {
        assertNoCriticalExtensions(header);
        assertAlgorithmAllowed(header, issuer.algorithms);
        assertTokenType(header, issuer);
        assertLifetime(payload, issuer.clockLeewaySeconds, Date.now() / 1000);
        assertCognitoAccessToken(issuer, payload);
      },
    })),
    { jwksCache },
  );

  const verified =
    options.verifiedTokens === false
      ? undefined
      : createVerifiedTokenCache<VerifiedAccessToken>(options.verifiedTokens);

  async function verifyFully(token: string): Promise<VerifiedAccessToken> {
    const payload = await verifySignedToken(verifier, token);

    // Reading: the verifier chose the issuer by `iss`, so it is configured.
    const issuer = byIssuer.get(payload.iss ?? '');
    if (!issuer)
      throw new InvalidTokenError('token_issuer_not_allowed', 'issuer not allowed', 'iss');
    const { clientId, scopes } = readDialect(issuer, payload);
    return {
      issuer,
      subject: readSubject(payload),
      clientId,
      scopes,
      expiresAt: payload.exp as number,
      payload,
    };
  }

  return {
    async verify(token) {
      assertTokenSize(token);
      const remembered = verified?.get(token);
      if (remembered) return remembered;

      const result = await verifyFully(token);
      verified?.set(token, result, result.expiresAt + result.issuer.clockLeewaySeconds);
      return result;
    },
    hydrate: () => hydrateSignatureVerifier(verifier),
  };
}
