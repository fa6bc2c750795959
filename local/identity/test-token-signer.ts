import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  shopGatewayAudience,
  shopGatewayScopes,
  shopServices,
} from '../../functions/shared/definition/shop-definition.js';
import type { LocalSigningKey } from './signing-key.js';

/**
 * Test-only tokens the demo needs and a well-behaved provider will not
 * issue on request: an expired one, one for another API, and a "permissive"
 * one naming every audience.
 *
 * They are signed with the local provider's own key and issuer, outside
 * oidc-provider, on purpose: each must be refused (or, for the pass-through
 * contrast, accepted) for the one claim it is about, never because its
 * signature or issuer is foreign. Only the local stack has them: in process,
 * and on its inside-network port (`POST /test-tokens/{kind}`, 127.0.0.1) for
 * `npm run demo`. A deployed stack has no such signer, so a smoke run
 * reports those scenarios as not applicable.
 */
export interface TestTokenSigner {
  /** A client token for the gateway whose `exp` passed an hour ago. */
  expired(clientId: string, scopes: readonly string[]): Promise<string>;
  /** A valid, live token whose `aud` is another API, not the gateway. */
  otherAudience(clientId: string, scopes: readonly string[]): Promise<string>;
  /**
   * What a provider configured with one broad audience hands out: `aud` is
   * the gateway and every service, `scope` every gateway and service scope.
   * Pass-through services accept it; narrow-token services must not.
   */
  permissive(clientId: string): Promise<string>;
}

/** The audience of the "other API" token: nothing in narrowgate accepts it. */
export const otherApiAudience = 'urn:example:reports-api';

export function createTestTokenSigner(issuer: string, key: LocalSigningKey): TestTokenSigner {
  async function sign(
    clientId: string,
    claims: { aud: string | string[]; scope: string },
    lifetime: { issuedAt: number; expiresAt: number },
  ): Promise<string> {
    // Same header and claims as oidc-provider's JWT access tokens.
    return await new SignJWT({ scope: claims.scope, client_id: clientId })
      .setProtectedHeader({ alg: key.alg, typ: 'at+jwt', kid: key.kid })
      .setJti(randomUUID())
      .setSubject(clientId)
      .setIssuedAt(lifetime.issuedAt)
      .setExpirationTime(lifetime.expiresAt)
      .setIssuer(issuer)
      .setAudience(claims.aud)
      .sign(key.privateKey);
  }

  const now = () => Math.floor(Date.now() / 1000);
  return {
    expired: (clientId, scopes) =>
      sign(
        clientId,
        { aud: shopGatewayAudience, scope: scopes.join(' ') },
        { issuedAt: now() - 7200, expiresAt: now() - 3600 },
      ),
    otherAudience: (clientId, scopes) =>
      sign(
        clientId,
        { aud: otherApiAudience, scope: scopes.join(' ') },
        { issuedAt: now(), expiresAt: now() + 600 },
      ),
    permissive: (clientId) =>
      sign(
        clientId,
        {
          aud: [shopGatewayAudience, ...shopServices.map((service) => service.audience)],
          scope: [...shopGatewayScopes, ...shopServices.flatMap((s) => s.scopes)].join(' '),
        },
        { issuedAt: now(), expiresAt: now() + 600 },
      ),
  };
}
