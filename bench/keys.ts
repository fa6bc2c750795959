import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { IssuerConfig } from '../functions/shared/definition/schema.js';
import { shopGatewayAudience } from '../functions/shared/definition/shop-definition.js';

/**
 * The keys and tokens every benchmark shares, so that each row measures the
 * same work: one identity provider's signing key (RS256, as Cognito and most
 * providers sign), its JWKS served on 127.0.0.1, and client tokens for the
 * shop's gateway audience.
 */
export interface BenchIssuer {
  readonly config: IssuerConfig;
  readonly jwks: { keys: JWK[] };
  readonly publicKey: CryptoKeyLike;
  /** A client token for `shop-web` with every shop scope; `jti` makes it distinct. */
  token(jti: string, overrides?: JWTPayload): Promise<string>;
  close(): Promise<void>;
}

type CryptoKeyLike = Awaited<ReturnType<typeof generateKeyPair>>['publicKey'];

export async function startBenchIssuer(alg: 'RS256' | 'ES256' = 'RS256'): Promise<BenchIssuer> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `bench-${alg.toLowerCase()}`;
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }] };
  const server = await serveJson(jwks);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config: IssuerConfig = {
    name: 'bench',
    dialect: 'oidc',
    issuer: base,
    jwksUri: `${base}/jwks`,
    algorithms: [alg],
    tokenTypes: ['at+jwt'],
    acceptUntypedTokens: false,
    clockLeewaySeconds: 30,
    audience: shopGatewayAudience,
  };
  return {
    config,
    jwks,
    publicKey,
    token: (jti, overrides = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        sub: 'bench-user',
        client_id: 'shop-web',
        scope: 'catalog.read catalog.write basket.read basket.write',
        jti,
        ...overrides,
      })
        .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
        .setIssuer(base)
        .setAudience(shopGatewayAudience)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Serves one JSON document on 127.0.0.1 at every path. */
export function serveJson(body: unknown): Promise<Server> {
  const text = JSON.stringify(body);
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(text);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
