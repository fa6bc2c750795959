import { describe, expect, it } from 'vitest';
import {
  authorizationServerMetadata,
  createKeyRoutes,
  jwksPath,
  metadataPath,
} from '../../functions/exchange/key-routes.js';
import { SigningKeyUnavailableError } from '../../functions/exchange/key-source.js';
import { createMemoryKeySource } from '../../functions/exchange/memory-key-source.js';
import {
  createSigningKeySecret,
  readSigningKeySecret,
} from '../../functions/exchange/signing-key-secret.js';

type Secret = { kid: string; privateJwk: Record<string, unknown> };

const issuer = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod';
const get = (path: string) => ({ httpMethod: 'GET', path, resource: path });

describe('key routes', () => {
  it('publishes the public key only, with Cache-Control', async () => {
    // Prepare
    const keys = await createMemoryKeySource();
    const routes = createKeyRoutes({ keys, issuer });

    // Act
    const response = await routes.handle(get(jwksPath));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Cache-Control']).toMatch(/^public, max-age=\d+$/);
    const { keys: published } = JSON.parse(response.body);
    expect(published).toHaveLength(1);
    expect(Object.keys(published[0]).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });

  it('serves RFC 8414 metadata naming the JWKS and the token exchange grant', async () => {
    const routes = createKeyRoutes({ keys: await createMemoryKeySource(), issuer });
    const response = await routes.handle(get(metadataPath));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual(authorizationServerMetadata(issuer));
    expect(JSON.parse(response.body)).toMatchObject({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['urn:ietf:params:oauth:grant-type:token-exchange'],
    });
  });

  it.each([
    ['an unknown path', get('/.well-known/openid-configuration'), 404],
    ['a POST', { ...get(jwksPath), httpMethod: 'POST' }, 405],
  ])('refuses %s', async (_case, event, status) => {
    const routes = createKeyRoutes({ keys: await createMemoryKeySource(), issuer });
    expect((await routes.handle(event)).statusCode).toBe(status);
  });

  it('answers 500 without a usable current key, and says no more', async () => {
    const routes = createKeyRoutes({
      keys: {
        signingKey: () => Promise.reject(new SigningKeyUnavailableError('secret_missing', 'x')),
        publicKeys: () => Promise.reject(new SigningKeyUnavailableError('secret_missing', 'x')),
      },
      issuer,
    });
    const response = await routes.handle(get(jwksPath));
    expect(response).toMatchObject({ statusCode: 500, body: '{"error":"server_error"}' });
    expect(response.headers?.['Cache-Control']).toBe('no-store');
  });
});

describe('signing key secret', () => {
  it('makes a new kid, the key thumbprint, for every key', async () => {
    const [a, b] = await Promise.all([createSigningKeySecret(), createSigningKeySecret()]);
    const [keyA, keyB] = await Promise.all([readSigningKeySecret(a), readSigningKeySecret(b)]);
    expect(keyA.kid).not.toBe(keyB.kid);
    expect(keyA.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['not JSON', () => 'placeholder'],
    ['an RSA key', (s: Secret) => ({ ...s, privateJwk: { ...s.privateJwk, kty: 'RSA' } })],
    ['no private scalar', (s: Secret) => ({ ...s, privateJwk: { ...s.privateJwk, d: undefined } })],
    ['kids that differ', (s: Secret) => ({ ...s, kid: 'A'.repeat(43) })],
    [
      'a point off the curve',
      (s: Secret) => ({ ...s, privateJwk: { ...s.privateJwk, x: 'A'.repeat(43) } }),
    ],
  ])('refuses a secret with %s, without quoting it', async (_case, change) => {
    // Prepare
    const valid = JSON.parse(await createSigningKeySecret());
    const changed = change(valid);
    const text = typeof changed === 'string' ? changed : JSON.stringify(changed);

    // Act
    const error = (await readSigningKeySecret(text).catch((e: unknown) => e)) as Error;

    // Assess
    expect(error).toMatchObject({ name: 'SigningKeySecretError', code: 'signing_key_malformed' });
    expect(error.message).not.toContain(valid.privateJwk.d);
    expect(error.message).not.toContain('placeholder');
  });
});
