import jwt, { type JwtPayload } from 'jsonwebtoken';
import jwksClient from 'jwks-rsa';
import type { IssuerConfig } from '../functions/shared/definition/schema.js';

/**
 * The authorizer people commonly write: jsonwebtoken with jwks-rsa's cached
 * key lookup. A fair, competent version that makes the same checks as
 * narrowgate's gateway verification (algorithm allow-list, issuer, audience,
 * expiry, `typ`, every scope of the route) but exchanges nothing.
 */
export function createAlternativeAuthorizer(issuer: IssuerConfig & { audience: string }) {
  const keys = jwksClient({ jwksUri: issuer.jwksUri, cache: true, rateLimit: true });

  return async function authorize(token: string, requiredScopes: readonly string[]) {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw new Error('Unauthorized');
    if (!issuer.tokenTypes.includes(String(decoded.header.typ))) throw new Error('Unauthorized');

    const key = await keys.getSigningKey(decoded.header.kid);
    const payload = jwt.verify(token, key.getPublicKey(), {
      algorithms: [...issuer.algorithms] as jwt.Algorithm[],
      issuer: issuer.issuer,
      audience: issuer.audience,
      clockTolerance: issuer.clockLeewaySeconds,
    }) as JwtPayload;

    const scopes = String(payload.scope ?? '').split(' ');
    if (!requiredScopes.every((scope) => scopes.includes(scope))) throw new Error('Forbidden');
    return payload;
  };
}
