import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { exportJWK } from 'jose';
import type { KeySource } from '../functions/exchange/key-source.js';
import type { BenchIssuer } from './keys.js';
import { type Measurement, type MeasureOptions, measure } from './measure.js';

/**
 * The floor: what the cryptography alone costs, with nothing of a JWT
 * library around it. The token is split once, outside the timed loop, with
 * Node's own base64url decoder; only the signature check is timed.
 */
export async function measureVerifyFloor(
  issuer: BenchIssuer,
  token: string,
  options: MeasureOptions,
): Promise<Measurement> {
  const [header, payload, signature] = token.split('.');
  const input = Buffer.from(`${header}.${payload}`);
  const signatureBytes = Buffer.from(signature ?? '', 'base64url');
  const key = createPublicKey({ key: await exportJWK(issuer.publicKey), format: 'jwk' });
  const algorithm = 'sha256';
  const dsaEncoding = issuer.config.algorithms[0] === 'ES256' ? 'ieee-p1363' : undefined;

  return measure(
    'floor: verify client token signature (node:crypto)',
    () => {
      if (!verify(algorithm, input, { key, dsaEncoding }, signatureBytes)) {
        throw new Error('floor signature did not verify');
      }
    },
    options,
  );
}

/** An ES256 signature over a narrow token's size of input: what minting cannot go below. */
export async function measureSignFloor(options: MeasureOptions): Promise<Measurement> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const input = Buffer.alloc(420, 'a');
  return measure(
    'floor: ES256 signature (node:crypto)',
    () => sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
    options,
  );
}

/** The ES256 signature check of a narrow token alone: what a service cannot go below. */
export async function measureNarrowVerifyFloor(
  keys: KeySource,
  token: string,
  options: MeasureOptions,
): Promise<Measurement> {
  const [header, payload, signature] = token.split('.');
  const input = Buffer.from(`${header}.${payload}`);
  const signatureBytes = Buffer.from(signature ?? '', 'base64url');
  const [jwk] = await keys.publicKeys();
  const key = createPublicKey({ key: { ...jwk }, format: 'jwk' });
  return measure(
    'floor: verify narrow token signature, ES256 (node:crypto)',
    () => {
      if (!verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signatureBytes)) {
        throw new Error('floor signature did not verify');
      }
    },
    options,
  );
}
