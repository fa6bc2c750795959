import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** The local provider's one signing key, made at start and never written to disk. */
export interface LocalSigningKey {
  readonly alg: 'ES256';
  readonly kid: string;
  readonly privateKey: PrivateKey;
  /** The private JWK, as oidc-provider's `jwks` configuration takes it. */
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export async function generateLocalSigningKey(): Promise<LocalSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `local-${randomUUID()}`;
  const common = { kid, alg: 'ES256', use: 'sig' };
  return {
    alg: 'ES256',
    kid,
    privateKey,
    privateJwk: { ...(await exportJWK(privateKey)), ...common },
    publicJwk: { ...(await exportJWK(publicKey)), ...common },
  };
}
