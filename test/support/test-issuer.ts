import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { JwksFetchError } from '../../functions/shared/tokens/jwks-cache.js';

/**
 * A signing key made at test time, with the JWKS that publishes it and a
 * signer that writes any header and claims, so that tests can shape tokens
 * like the fixtures' identity providers do. No key is ever committed.
 */
export interface TestSigner {
  readonly kid: string;
  readonly alg: string;
  readonly publicJwk: JWK;
  readonly privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  /** Signs `claims` with this key; `header` adds to or replaces `alg`/`kid`. */
  sign(claims: JWTPayload, header?: Record<string, unknown>): Promise<string>;
}

export async function createTestSigner(
  alg = 'RS256',
  kid = `test-${alg.toLowerCase()}`,
): Promise<TestSigner> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return {
    kid,
    alg,
    publicJwk,
    privateKey,
    sign: (claims, header = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg, kid, ...header }).sign(privateKey),
  };
}

/** A JWKS document holding the public keys of `signers`. */
export function jwksOf(...signers: TestSigner[]): { keys: JWK[] } {
  return { keys: signers.map((signer) => signer.publicJwk) };
}

/**
 * An aws-jwt-verify JWKS cache whose fetcher answers from memory: `jwks`
 * maps each JWKS URI to its document, or to an Error to play an unreachable
 * key endpoint. Counts fetches, so tests can assert caching.
 */
export function memoryJwksCache(jwks: Record<string, { keys: JWK[] } | Error>) {
  const fetches: string[] = [];
  const cache = new SimpleJwksCache({
    fetcher: {
      async fetch(uri: string) {
        fetches.push(uri);
        const document = jwks[uri];
        if (document === undefined || document instanceof Error) {
          throw new JwksFetchError(`no JWKS at ${uri}`, { cause: document });
        }
        return new TextEncoder().encode(JSON.stringify(document)).buffer as ArrayBuffer;
      },
    },
  });
  return { cache, fetches };
}

/** Seconds since the epoch, as JWT claims count. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
