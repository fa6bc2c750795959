import { JwtInvalidSignatureAlgorithmError } from 'aws-jwt-verify/error';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { JwtHeader } from 'aws-jwt-verify/jwt-model';

/** The key type, and for EC and OKP the curves, each algorithm may use (RFC 7518, 8037). */
const keyTypeOf: Readonly<Record<string, { kty: string; crv?: readonly string[] }>> = {
  RS256: { kty: 'RSA' },
  RS384: { kty: 'RSA' },
  RS512: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: ['P-256'] },
  ES384: { kty: 'EC', crv: ['P-384'] },
  ES512: { kty: 'EC', crv: ['P-521'] },
  EdDSA: { kty: 'OKP', crv: ['Ed25519', 'Ed448'] },
};

/**
 * A JWKS cache that hands out a key only for the algorithm family of its
 * type. aws-jwt-verify compares the header's `alg` with the JWK's `alg`
 * only when the JWK names one, and many issuers publish keys without it;
 * the token's `alg` then picks how the key is used. An EC key would verify
 * a token that calls its ES256 signature RS256 (passing an RS256-only
 * allow-list), and an OKP key asked for RS256 makes Node throw an error
 * that would answer 500 instead of 401. Refused here, before any crypto,
 * as `JwtInvalidSignatureAlgorithmError` (401 `token_algorithm_not_allowed`).
 */
export function withKeyAlgorithmCheck(inner: JwksCache): JwksCache {
  return {
    async getJwk(jwksUri, decomposedJwt) {
      const jwk = await inner.getJwk(jwksUri, decomposedJwt);
      assertKeyFitsAlgorithm(jwk, decomposedJwt);
      return jwk;
    },
    getCachedJwk(jwksUri, decomposedJwt) {
      const jwk = inner.getCachedJwk(jwksUri, decomposedJwt);
      assertKeyFitsAlgorithm(jwk, decomposedJwt);
      return jwk;
    },
    addJwks: (jwksUri, jwks) => inner.addJwks(jwksUri, jwks),
    getJwks: (jwksUri) => inner.getJwks(jwksUri),
  };
}

function assertKeyFitsAlgorithm(
  jwk: { kty?: unknown; crv?: unknown },
  jwt: { header: JwtHeader },
): void {
  const alg = jwt.header.alg;
  const rule =
    typeof alg === 'string' && Object.hasOwn(keyTypeOf, alg) ? keyTypeOf[alg] : undefined;
  const fits =
    rule !== undefined &&
    jwk.kty === rule.kty &&
    (rule.crv === undefined || (typeof jwk.crv === 'string' && rule.crv.includes(jwk.crv)));
  if (!fits) {
    throw new JwtInvalidSignatureAlgorithmError(
      'JWT signature algorithm does not fit the key type',
      String(alg),
      'key type',
    );
  }
}
