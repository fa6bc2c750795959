import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import * as z from '../shared/config/schema-library.js';
import { narrowTokenAlgorithm } from '../shared/tokens/narrow-token-profile.js';

/**
 * The signing key as Secrets Manager holds it. The rotation function writes
 * it; the exchange and the key routes read it. `SecretString` is JSON:
 *
 * ```json
 * {
 *   "kid": "<RFC 7638 thumbprint of the key>",
 *   "privateJwk": { "kty": "EC", "crv": "P-256", "alg": "ES256",
 *                   "kid": "<same>", "x": "…", "y": "…", "d": "…" }
 * }
 * ```
 *
 * The `kid` is the key's own thumbprint, so a new key always has a new one
 * and a service can never mistake one key for another across rotations.
 */

const base64url = z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, 'must be base64url'));

const kid = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be 16-128 base64url characters'));

export const signingKeySecretSchema = z
  .object({
    kid,
    privateJwk: z.object({
      kty: z.literal('EC'),
      crv: z.literal('P-256'),
      alg: z.literal(narrowTokenAlgorithm),
      kid,
      x: base64url,
      y: base64url,
      d: base64url,
    }),
  })
  .check(
    z.refine((secret) => secret.kid === secret.privateJwk.kid, {
      message: 'must equal privateJwk.kid',
      path: ['kid'],
    }),
  );

export type SigningKeySecret = z.infer<typeof signingKeySecretSchema>;

/** A public key as published in the JWKS: no private member, ever. */
export interface PublicSigningJwk extends JWK {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly alg: typeof narrowTokenAlgorithm;
  readonly use: 'sig';
  readonly kid: string;
  readonly x: string;
  readonly y: string;
}

/** A signing key ready for use. */
export interface SigningKey {
  readonly kid: string;
  /** Non-extractable: the key material cannot leave this object by accident. */
  readonly privateKey: CryptoKey;
  readonly publicJwk: PublicSigningJwk;
}

/** A secret that does not hold a usable signing key. Says which rule, never the value. */
export class SigningKeySecretError extends Error {
  override readonly name = 'SigningKeySecretError';
  readonly code = 'signing_key_malformed';
}

/**
 * Parses and imports a `SecretString`. Throws {@link SigningKeySecretError}
 * naming the failing field; the message never holds the secret.
 */
export async function readSigningKeySecret(secretString: string): Promise<SigningKey> {
  let json: unknown;
  try {
    json = JSON.parse(secretString);
  } catch {
    // The parser's message quotes the text: it must not reach a log.
    throw new SigningKeySecretError('signing key secret is not JSON');
  }
  const parsed = signingKeySecretSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SigningKeySecretError(
      `signing key secret is invalid at ${issue?.path.join('.') || '(root)'}`,
    );
  }
  const { privateJwk } = parsed.data;

  // Import: a point off the curve or a bad scalar fails here.
  let privateKey: CryptoKey;
  try {
    privateKey = (await importJWK(privateJwk, narrowTokenAlgorithm, {
      extractable: false,
    })) as CryptoKey;
  } catch {
    throw new SigningKeySecretError('signing key secret holds no usable P-256 key');
  }
  const { kty, crv, alg, x, y } = privateJwk;

  // The kid names this key and no other: the JWKS keeps one key per kid, so
  // a version labelled with another key's kid would replace that key there.
  if ((await calculateJwkThumbprint({ kty, crv, x, y }, 'sha256')) !== parsed.data.kid) {
    throw new SigningKeySecretError('signing key secret kid is not the key thumbprint');
  }
  return {
    kid: parsed.data.kid,
    privateKey,
    // Built field by field, so no private member can slip into the JWKS.
    publicJwk: { kty, crv, alg, use: 'sig', kid: parsed.data.kid, x, y },
  };
}

/** A new ES256 key as a `SecretString`, with its thumbprint as `kid`. */
export async function createSigningKeySecret(): Promise<string> {
  const { privateKey } = await generateKeyPair(narrowTokenAlgorithm, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const keyId = await calculateJwkThumbprint(jwk, 'sha256');
  const secret: SigningKeySecret = {
    kid: keyId,
    privateJwk: {
      kty: 'EC',
      crv: 'P-256',
      alg: narrowTokenAlgorithm,
      kid: keyId,
      x: jwk.x ?? '',
      y: jwk.y ?? '',
      d: jwk.d ?? '',
    },
  };
  return JSON.stringify(secret);
}

/**
 * Proves a key works end to end: signs a throw-away token and verifies it
 * with the published public half. The rotation's `testSecret` step.
 */
export async function assertSigningKeyWorks(key: SigningKey): Promise<void> {
  const token = await new SignJWT({ probe: true })
    .setProtectedHeader({ alg: narrowTokenAlgorithm, kid: key.kid })
    .setIssuedAt()
    .sign(key.privateKey);
  const publicKey = await importJWK(key.publicJwk, narrowTokenAlgorithm);
  await jwtVerify(token, publicKey, { algorithms: [narrowTokenAlgorithm] });
}
