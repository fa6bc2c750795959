import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createSecretsManagerKeySource } from '../../functions/exchange/secrets-manager-key-source.js';
import {
  createSigningKeySecret,
  readSigningKeySecret,
} from '../../functions/exchange/signing-key-secret.js';
import { createNarrowTokenVerifier } from '../../functions/shared/tokens/narrow-token-verifier.js';
import { memoryJwksCache, nowSeconds } from '../support/test-issuer.js';

/**
 * The signing key secret: a version whose `kid` is not its own key's
 * thumbprint must never reach the JWKS under another key's name, and the
 * JWKS must only ever hold public members.
 */

const issuer = 'https://exchange.example.com';
const jwksUri = `${issuer}/.well-known/jwks.json`;
const audience = 'urn:narrowgate:service:catalog';

/** A Secrets Manager stand-in that answers GetSecretValue by staging label. */
function secretsClient(stages: Record<string, string>): SecretsManagerClient {
  return {
    async send(command: { input: { VersionStage?: string } }) {
      const value = stages[command.input.VersionStage ?? 'AWSCURRENT'];
      if (value === undefined) {
        throw Object.assign(new Error('no such version'), { name: 'ResourceNotFoundException' });
      }
      return { SecretString: value, CreatedDate: new Date(0) };
    },
  } as unknown as SecretsManagerClient;
}

/** A fresh key's secret, relabelled with `kid`. */
async function secretUnderKid(kid: string): Promise<string> {
  const secret = JSON.parse(await createSigningKeySecret());
  return JSON.stringify({ kid, privateJwk: { ...secret.privateJwk, kid } });
}

describe('a signing key secret', () => {
  it("refuses a kid that is not the key's RFC 7638 thumbprint", async () => {
    const text = await secretUnderKid('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');

    await expect(readSigningKeySecret(text)).rejects.toMatchObject({
      name: 'SigningKeySecretError',
      code: 'signing_key_malformed',
    });
  });

  it('keeps the JWKS key of AWSCURRENT when AWSPENDING borrows its kid', async () => {
    // Prepare: a pending version made by hand, under the current key's kid.
    const current = await createSigningKeySecret();
    const currentKid = JSON.parse(current).kid as string;
    const keys = createSecretsManagerKeySource({
      secretId: 'narrowgate/signing-key',
      client: secretsClient({ AWSCURRENT: current, AWSPENDING: await secretUnderKid(currentKid) }),
    });

    // Act: sign as the exchange does, verify through the published JWKS as a service does.
    const key = await keys.signingKey();
    const published = await keys.publicKeys();
    const token = await new SignJWT({
      sub: 'user-1',
      sub_id: { format: 'iss_sub', iss: 'https://idp.example.com', sub: 'user-1' },
      scope: 'catalog:read',
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(nowSeconds() + 60)
      .sign(key.privateKey);
    const verifier = createNarrowTokenVerifier({
      issuer,
      jwksUri,
      audience,
      jwksCache: memoryJwksCache({ [jwksUri]: { keys: [...published] } }).cache,
    });

    // Assess: one key per kid, and it is the one that signs.
    expect(published).toEqual([key.publicJwk]);
    await expect(verifier.verify(token, ['catalog:read'])).resolves.toMatchObject({
      subject: 'user-1',
    });
  });

  it('publishes public members only, whatever extra members the secret holds', async () => {
    const secret = JSON.parse(await createSigningKeySecret());
    const padded = {
      ...secret,
      privateJwk: { ...secret.privateJwk, p: 'x', q: 'y', dp: 'z', k: 'secret' },
    };

    const key = await readSigningKeySecret(JSON.stringify(padded));

    expect(Object.keys(key.publicJwk).sort()).toEqual([
      'alg',
      'crv',
      'kid',
      'kty',
      'use',
      'x',
      'y',
    ]);
    expect(JSON.stringify(key.publicJwk)).not.toContain(secret.privateJwk.d);
  });
});
