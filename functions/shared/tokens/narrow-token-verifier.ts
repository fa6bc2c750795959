import { JwtVerifier } from 'aws-jwt-verify';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import { InsufficientScopeError, InvalidTokenError } from '../errors.js';
import {
  assertAlgorithmAllowed,
  assertLifetime,
  assertNoCriticalExtensions,
  assertTokenType,
  readSubject,
} from './claim-checks.js';
import { createJwksCache } from './jwks-cache.js';
import { withKeyAlgorithmCheck } from './key-algorithm.js';
import {
  narrowTokenAlgorithm,
  narrowTokenLeewaySeconds,
  narrowTokenType,
} from './narrow-token-profile.js';
import {
  createVerifiedTokenCache,
  type VerifiedTokenCacheOptions,
} from './verified-token-cache.js';
import {
  assertTokenSize,
  hydrateSignatureVerifier,
  verifySignedToken,
} from './verify-signed-token.js';

export interface NarrowTokenVerifierConfig {
  /** The exchange's issuer URL: the only `iss` accepted. */
  readonly issuer: string;
  /** The exchange's JWKS. */
  readonly jwksUri: string;
  /** This service's own audience: `aud` must be exactly this one string. */
  readonly audience: string;
  /** A JWKS cache; tests hand keys in through it. @default createJwksCache() */
  readonly jwksCache?: JwksCache;
  /** Allow an http JWKS URI (local stack only). @default false */
  readonly allowHttp?: boolean;
  /**
   * Reuse of successful verifications of the same token text; scopes are
   * still checked on every call. `false` verifies every call.
   * @default createVerifiedTokenCache() (60 s, 10,000 tokens)
   */
  readonly verifiedTokens?: VerifiedTokenCacheOptions | false;
}

/** What a service knows about the caller once its narrow token is verified. */
export interface VerifiedNarrowToken {
  readonly subject: string;
  /**
   * `sub_id.iss`: the issuer that vouched for `subject`. A `sub` is unique
   * only within its issuer, so a caller is the pair of both.
   */
  readonly subjectIssuer: string;
  readonly clientId: string | undefined;
  /** The service scopes the exchange granted. */
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  /** `act.sub`: who exchanged the token (the gateway). */
  readonly actor: string | undefined;
}

export interface NarrowTokenVerifier {
  /**
   * Verifies a narrow token for this service and that it holds every scope
   * in `requiredScopes`; throws `InvalidTokenError` (401),
   * `InsufficientScopeError` (403) or `DependencyError` (500).
   */
  verify(token: string, requiredScopes: readonly string[]): Promise<VerifiedNarrowToken>;
  hydrate(): Promise<void>;
}

/**
 * The check each service makes on its own: a token from the exchange
 * (`iss`, ES256, `typ: at+jwt`) made for this service alone (a single `aud`
 * equal to its audience) that carries the operation's scope.
 *
 * @example
 * const verifier = createNarrowTokenVerifier({ issuer, jwksUri, audience });
 * const caller = await verifier.verify(token, ['basket:write']);
 */
export function createNarrowTokenVerifier(config: NarrowTokenVerifierConfig): NarrowTokenVerifier {
  const verifier = JwtVerifier.create(
    {
      issuer: config.issuer,
      jwksUri: config.jwksUri,
      audience: config.audience,
      graceSeconds: narrowTokenLeewaySeconds,
      customJwtCheck: ({ header, payload }: { header: JwtHeader; payload: JwtPayload }) => {
        assertNoCriticalExtensions(header);
        assertAlgorithmAllowed(header, [narrowTokenAlgorithm]);
        assertTokenType(header, { tokenTypes: [narrowTokenType], acceptUntypedTokens: false });
        assertLifetime(payload, narrowTokenLeewaySeconds, Date.now() / 1000);
        // One audience only: a token another service would also accept is not ours.
        if (typeof payload.aud !== 'string') {
          throw new InvalidTokenError(
            'token_audience_not_allowed',
            'audience is not one service',
            'aud',
          );
        }
      },
    },
    {
      jwksCache: withKeyAlgorithmCheck(
        config.jwksCache ?? createJwksCache({ allowHttp: config.allowHttp ?? false }),
      ),
    },
  );

  const verified =
    config.verifiedTokens === false
      ? undefined
      : createVerifiedTokenCache<VerifiedNarrowToken>(config.verifiedTokens);

  async function verifyFully(token: string): Promise<VerifiedNarrowToken> {
    const payload = await verifySignedToken(verifier, token);

    const subject = readSubject(payload);
    const subjectIssuer = readSubjectIssuer(payload, subject);
    const scope = payload.scope;
    if (scope !== undefined && typeof scope !== 'string') {
      throw new InvalidTokenError('token_claim_invalid', 'scope is not a string', 'scope');
    }
    const clientId = payload.client_id;
    const act = payload.act as { sub?: unknown } | undefined;
    return {
      subject,
      subjectIssuer,
      clientId: typeof clientId === 'string' ? clientId : undefined,
      scopes: (scope ?? '').split(' ').filter((s) => s !== ''),
      expiresAt: payload.exp as number,
      actor: typeof act?.sub === 'string' ? act.sub : undefined,
    };
  }

  return {
    async verify(token, requiredScopes) {
      assertTokenSize(token);
      let caller = verified?.get(token);
      if (!caller) {
        caller = await verifyFully(token);
        verified?.set(token, caller, caller.expiresAt + narrowTokenLeewaySeconds);
      }

      // Scopes: per operation, so checked on every call, byte for byte.
      const missing = requiredScopes.filter((required) => !caller.scopes.includes(required));
      if (missing.length > 0) throw new InsufficientScopeError(missing);
      return caller;
    },
    hydrate: () => hydrateSignatureVerifier(verifier),
  };
}

/**
 * The issuer of the subject, from `sub_id` (RFC 9493, format `iss_sub`),
 * which the exchange writes into every narrow token. Required: without it a
 * service could tell apart neither issuers nor their users of the same
 * `sub`. Its `sub` must be the token's own, so the two cannot disagree.
 */
function readSubjectIssuer(payload: JwtPayload, subject: string): string {
  const id: unknown = payload.sub_id;
  if (typeof id !== 'object' || id === null || Array.isArray(id)) {
    throw new InvalidTokenError('token_claim_invalid', 'sub_id is not an object', 'sub_id');
  }
  const { format, iss, sub } = id as Record<string, unknown>;
  if (format !== 'iss_sub' || typeof iss !== 'string' || iss === '' || typeof sub !== 'string') {
    throw new InvalidTokenError('token_claim_invalid', 'sub_id is not iss_sub', 'sub_id');
  }
  if (sub !== subject) {
    throw new InvalidTokenError('token_claim_invalid', 'sub_id does not match sub', 'sub_id');
  }
  return iss;
}
