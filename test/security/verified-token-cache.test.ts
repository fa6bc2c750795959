import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAccessTokenVerifier } from '../../functions/shared/tokens/access-token-verifier.js';
import { createNarrowTokenVerifier } from '../../functions/shared/tokens/narrow-token-verifier.js';
import {
  type Harness as AuthorizerHarness,
  bearerEvent,
  cognitoResourceServer,
  createHarness as createAuthorizerHarness,
  expectUnauthorized,
  gatewayAudience,
  issuers,
} from '../authorizer/harness.js';
import { createHarness as createExchangeHarness } from '../exchange/harness.js';
import { httpsIssuer } from '../support/definitions.js';
import {
  createTestSigner,
  jwksOf,
  memoryJwksCache,
  nowSeconds,
  type TestSigner,
} from '../support/test-issuer.js';

/**
 * Verifications remembered for up to 60 s under the token text's digest
 * (`verified-token-cache.ts`), and the authorizer's narrow tokens kept per
 * subject token. A remembered result must never answer for a token that a
 * full verification would now refuse.
 */

const exchangeIssuer = 'https://exchange.example.com';
const exchangeJwksUri = `${exchangeIssuer}/.well-known/jwks.json`;
const catalogAudience = 'urn:narrowgate:service:catalog';
const basketAudience = 'urn:narrowgate:service:basket';

let idp: TestSigner;
let exchangeKey: TestSigner;

beforeAll(async () => {
  idp = await createTestSigner('RS256', 'idp-1');
  exchangeKey = await createTestSigner('ES256', 'exchange-1');
});

afterEach(() => {
  vi.useRealTimers();
});

/** The code of the error `promise` rejects with, or `accepted`. */
async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String((error as { code?: unknown }).code ?? (error as Error).message);
  }
  return 'accepted';
}

/** The test issuer as the definition holds it, defaults filled in. */
const issuer = { ...httpsIssuer, acceptUntypedTokens: false, clockLeewaySeconds: 30 };

function gatewayVerifier() {
  return createAccessTokenVerifier([issuer], {
    jwksCache: memoryJwksCache({ [issuer.jwksUri]: jwksOf(idp) }).cache,
  });
}

function narrowVerifier(audience: string) {
  return createNarrowTokenVerifier({
    issuer: exchangeIssuer,
    jwksUri: exchangeJwksUri,
    audience,
    jwksCache: memoryJwksCache({ [exchangeJwksUri]: jwksOf(exchangeKey) }).cache,
  });
}

function clientToken(claims: Record<string, unknown> = {}) {
  const iat = nowSeconds();
  return idp.sign(
    {
      iss: httpsIssuer.issuer,
      aud: httpsIssuer.audience,
      sub: 'user-1',
      scope: 'catalog.read',
      iat,
      exp: iat + 10,
      ...claims,
    },
    { typ: 'at+jwt' },
  );
}

function narrowToken(audience: string, expiresIn: number) {
  const iat = nowSeconds();
  return exchangeKey.sign(
    {
      iss: exchangeIssuer,
      aud: audience,
      sub: 'user-1',
      sub_id: { format: 'iss_sub', iss: httpsIssuer.issuer, sub: 'user-1' },
      scope: 'catalog:read basket:read',
      iat,
      exp: iat + expiresIn,
      act: { sub: 'urn:narrowgate:gateway' },
    },
    { typ: 'at+jwt' },
  );
}

describe('a remembered verification, the clock frozen after the verifier was built', () => {
  // Lambda handlers build their verifiers at import; tests freeze the clock
  // afterwards. The caches must read the clock the token checks read.

  it('is not served for a client token that has since expired', async () => {
    const verifier = gatewayVerifier();
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await clientToken();
    await verifier.verify(token);

    vi.advanceTimersByTime(3_600_000);

    expect(await outcomeOf(verifier.verify(token))).toBe('token_expired');
  });

  it('is not served for a narrow token that has since expired', async () => {
    const verifier = narrowVerifier(catalogAudience);
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await narrowToken(catalogAudience, 60);
    await verifier.verify(token, ['catalog:read']);

    vi.advanceTimersByTime(66_000);

    expect(await outcomeOf(verifier.verify(token, ['catalog:read']))).toBe('token_expired');
  });

  it('gives no Allow to an expired client token, though its narrow token is kept', async () => {
    const harness = await createAuthorizerHarness();
    vi.useFakeTimers({ toFake: ['Date'] });
    const now = nowSeconds();
    const token = await harness.oidcToken('catalog.read', { iat: now, exp: now + 10 });
    const first = await harness.authorizer.authorize(bearerEvent(token));

    vi.advanceTimersByTime(3_600_000);

    expect(first.policyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Allow' })]);
    await expectUnauthorized(harness.authorizer.authorize(bearerEvent(token)));
    expect(harness.exchange.requests).toHaveLength(1);
  });

  it('lets the exchange mint nothing for a subject token that has since expired', async () => {
    const harness = await createExchangeHarness();
    vi.useFakeTimers({ toFake: ['Date'] });
    const subject = await harness.subjectToken({ exp: nowSeconds() + 10 });
    const first = await harness.exchange(harness.request(subject));

    vi.advanceTimersByTime(3_600_000);

    expect(first).toMatchObject({ token_type: 'Bearer' });
    expect(await harness.exchange(harness.request(subject))).toEqual({
      error: 'invalid_request',
      error_description: 'subject token has expired',
    });
  });
});

describe('only a verification that passed every check is remembered', () => {
  let harness: AuthorizerHarness;

  beforeAll(async () => {
    harness = await createAuthorizerHarness();
  });

  it('refuses a token before its nbf each time, and accepts it once nbf is reached', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const verifier = gatewayVerifier();
    const token = await clientToken({ nbf: nowSeconds() + 60, exp: nowSeconds() + 600 });

    const early = await outcomeOf(verifier.verify(token));
    const again = await outcomeOf(verifier.verify(token));
    vi.advanceTimersByTime(31_000);

    expect([early, again]).toEqual(['token_not_yet_valid', 'token_not_yet_valid']);
    expect(await outcomeOf(verifier.verify(token))).toBe('accepted');
  });

  it('refuses every time a Cognito access token of an app client not allowed', async () => {
    const iat = nowSeconds();
    const token = await harness.signers.cognito.sign({
      iss: issuers.cognito.issuer,
      sub: 'user-1',
      token_use: 'access',
      client_id: 'another-app-client',
      scope: `${cognitoResourceServer}/catalog.read`,
      iat,
      exp: iat + 300,
    });

    const codes = [
      await outcomeOf(harness.verifier.verify(token)),
      await outcomeOf(harness.verifier.verify(token)),
    ];

    expect(codes).toEqual(['token_client_not_allowed', 'token_client_not_allowed']);
  });

  it('refuses every time a token whose scopes its dialect cannot read', async () => {
    const iat = nowSeconds();
    const token = await harness.signers.okta.sign({
      iss: issuers.okta.issuer,
      aud: gatewayAudience,
      sub: 'user-1',
      cid: 'okta-client',
      scp: 7,
      iat,
      exp: iat + 300,
    });

    const codes = [
      await outcomeOf(harness.verifier.verify(token)),
      await outcomeOf(harness.verifier.verify(token)),
    ];

    expect(codes).toEqual(['token_claim_invalid', 'token_claim_invalid']);
  });

  it('denies a remembered client token a route whose scope it lacks', async () => {
    const token = await harness.oidcToken('catalog.read');
    const read = await harness.authorizer.authorize(bearerEvent(token));

    const write = await harness.authorizer.authorize(
      bearerEvent(token, { method: 'DELETE', resource: '/catalog/events/{eventId}' }),
    );

    expect(read.policyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Allow' })]);
    expect(write.policyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Deny' })]);
    expect(write.context).toEqual({ reason: 'insufficient_scope', error: 'insufficient_scope' });
  });
});

describe('a token remembered at one hop', () => {
  it("is refused by another service's verifier: each remembers only for itself", async () => {
    const basket = narrowVerifier(basketAudience);
    const catalog = narrowVerifier(catalogAudience);
    const token = await narrowToken(basketAudience, 300);
    await basket.verify(token, ['basket:read']);

    const outcome = await outcomeOf(catalog.verify(token, ['catalog:read']));

    expect(outcome).toBe('token_audience_not_allowed');
  });

  it("is refused by a service's pass-through verifier when remembered by the gateway", async () => {
    const gateway = gatewayVerifier();
    const passThrough = createAccessTokenVerifier([{ ...issuer, audience: catalogAudience }], {
      jwksCache: memoryJwksCache({ [httpsIssuer.jwksUri]: jwksOf(idp) }).cache,
    });
    const token = await clientToken({ exp: nowSeconds() + 300 });
    await gateway.verify(token);

    const outcome = await outcomeOf(passThrough.verify(token));

    expect(outcome).toBe('token_audience_not_allowed');
  });
});
