import { KeyObject, sign } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { TestSigner } from '../support/test-issuer.js';

/**
 * Signs any header and payload, as an attacker's tooling would: no library
 * refuses a `crit`, an `alg` that does not fit the key, or an embedded key.
 */
export function signRaw(
  privateKey: TestSigner['privateKey'],
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  /** How the signature is made, whatever the header says. @default from `header.alg` */
  as: 'ES256' | 'RS256' | 'EdDSA' = header.alg as 'ES256' | 'RS256' | 'EdDSA',
): string {
  const input = `${encode(header)}.${encode(payload)}`;
  const key = KeyObject.from(privateKey);
  const data = Buffer.from(input);
  const signature =
    as === 'EdDSA'
      ? sign(null, data, key)
      : sign('sha256', data, as === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${signature.toString('base64url')}`;
}

/** An Ed25519 key pair whose public JWK carries a `kid` and no `alg`. */
export async function createEd25519Key(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig' };
  return { publicJwk, privateKey };
}

/** The JWK without its `alg`, as many issuers publish their keys. */
export function withoutAlg(jwk: JWK): JWK {
  const { alg: _alg, ...rest } = jwk;
  return rest;
}

function encode(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
