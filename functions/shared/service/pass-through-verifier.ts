import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { IssuerConfig, ServiceConfig } from '../definition/schema.js';
import {
  type AccessTokenVerifier,
  createAccessTokenVerifier,
} from '../tokens/access-token-verifier.js';

export interface PassThroughVerifierOptions {
  /** A JWKS cache; tests hand keys in through it. @default a fresh https-only cache */
  readonly jwksCache?: JwksCache;
  /** Allow http JWKS URIs (local stack only). @default false */
  readonly allowHttp?: boolean;
}

/**
 * The issuers whose client tokens a service accepts on pass-through routes:
 * the definition's issuers with the gateway's audience replaced by the
 * service's own, so a token the client got for the gateway is refused here.
 *
 * Cognito issuers are left out. Their access tokens carry no `aud`, so no
 * check can tell a token meant for this service from one meant for any
 * other; a pass-through route reached with one fails closed with 401.
 */
export function passThroughIssuers(
  issuers: readonly IssuerConfig[],
  service: ServiceConfig,
): IssuerConfig[] {
  return issuers.flatMap((issuer) =>
    issuer.dialect === 'cognito' ? [] : [{ ...issuer, audience: service.audience }],
  );
}

/**
 * A verifier of client tokens made for `service`, or `undefined` when no
 * issuer can make one (only Cognito issuers): pass-through routes then
 * refuse every token.
 */
export function createPassThroughVerifier(
  issuers: readonly IssuerConfig[],
  service: ServiceConfig,
  options: PassThroughVerifierOptions = {},
): AccessTokenVerifier | undefined {
  const usable = passThroughIssuers(issuers, service);
  if (usable.length === 0) return undefined;
  return createAccessTokenVerifier(usable, options);
}
