import { JwtVerifier } from 'aws-jwt-verify';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InsufficientScopeError, type InvalidTokenError } from '../../functions/shared/errors.js';
import { createAccessTokenVerifier } from '../../functions/shared/tokens/access-token-verifier.js';
import { createNarrowTokenVerifier } from '../../functions/shared/tokens/narrow-token-verifier.js';
import { createVerifiedTokenCache } from '../../functions/shared/tokens/verified-token-cache.js';
import { httpsIssuer } from '../support/definitions.js';
import {
  createTestSigner,
  jwksOf,
  memoryJwksCache,
  nowSeconds,
  type TestSigner,
} from '../support/test-issuer.js';

let signer: TestSigner;
const issuer = { ...httpsIssuer, acceptUntypedTokens: false, clockLeewaySeconds: 30 };

beforeAll(async () => {
  signer = await createTestSigner('RS256');
});

afterEach(() => {
  vi.useRealTimers();
});

function clientToken(exp: number) {
  return signer.sign(
    { iss: issuer.issuer, aud: issuer.audience, sub: 'u-1', scope: 'basket.read', exp },
    { typ: 'at+jwt' },
  );
}

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return (error as InvalidTokenError).code;
  }
  return 'accepted';
}

describe('createVerifiedTokenCache', () => {
  it('keeps a result until the earlier of its validity and the maximum age', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const cache = createVerifiedTokenCache<string>({ maxAgeSeconds: 60 });

    cache.set('a', 'A', 1_000 + 30);
    cache.set('b', 'B', 1_000 + 3600);
    vi.advanceTimersByTime(30_000);

    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe('B');
    vi.advanceTimersByTime(30_000);
    expect(cache.get('b')).toBeUndefined();
  });

  it('keeps nothing for a token already past its validity', () => {
    const cache = createVerifiedTokenCache<string>();

    cache.set('a', 'A', nowSeconds() - 1);

    expect(cache.get('a')).toBeUndefined();
  });

  it('holds at most maxEntries results', () => {
    const cache = createVerifiedTokenCache<number>({ maxEntries: 2 });

    for (const [index, token] of ['a', 'b', 'c'].entries())
      cache.set(token, index, nowSeconds() + 60);

    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 1, 2]);
  });
});

describe('verifiers reusing a verification', () => {
  it('verify a repeated client token once, and refuse it once it has expired', async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    const signatureChecks = vi.spyOn(JwtVerifier.prototype, 'verify');
    const { cache } = memoryJwksCache({ [issuer.jwksUri]: jwksOf(signer) });
    const verifier = createAccessTokenVerifier([issuer], { jwksCache: cache });
    const token = await clientToken(nowSeconds() + 40);

    await verifier.verify(token);
    const again = await verifier.verify(token);
    const checksWhileRemembered = signatureChecks.mock.calls.length;
    vi.advanceTimersByTime(71_000);

    expect(again.subject).toBe('u-1');
    expect(checksWhileRemembered).toBe(1);
    expect(await codeOf(verifier.verify(token))).toBe('token_expired');
    signatureChecks.mockRestore();
  });

  it('never remember a refusal', async () => {
    const signers = { [issuer.jwksUri]: jwksOf(signer) };
    const verifier = createAccessTokenVerifier([issuer], {
      jwksCache: memoryJwksCache(signers).cache,
    });
    const expired = await clientToken(nowSeconds() - 60);

    expect(await codeOf(verifier.verify(expired))).toBe('token_expired');
    expect(await codeOf(verifier.verify(expired))).toBe('token_expired');
  });

  it('still check the operation scope of a remembered narrow token on every call', async () => {
    const exchangeKey = await createTestSigner('ES256', 'exchange');
    const jwksUri = 'https://api.test/jwks';
    const verifier = createNarrowTokenVerifier({
      issuer: 'https://api.test',
      jwksUri,
      audience: 'urn:svc',
      jwksCache: memoryJwksCache({ [jwksUri]: jwksOf(exchangeKey) }).cache,
    });
    const token = await exchangeKey.sign(
      {
        iss: 'https://api.test',
        aud: 'urn:svc',
        sub: 'u-1',
        sub_id: { format: 'iss_sub', iss: 'https://idp.test', sub: 'u-1' },
        scope: 'svc:read',
        exp: nowSeconds() + 60,
      },
      { typ: 'at+jwt' },
    );

    await verifier.verify(token, ['svc:read']);

    await expect(verifier.verify(token, ['svc:write'])).rejects.toBeInstanceOf(
      InsufficientScopeError,
    );
  });
});
