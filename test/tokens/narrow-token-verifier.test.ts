import { beforeAll, describe, expect, it } from 'vitest';
import { InsufficientScopeError, InvalidTokenError } from '../../functions/shared/errors.js';
import { createNarrowTokenVerifier } from '../../functions/shared/tokens/narrow-token-verifier.js';
import {
  createTestSigner,
  jwksOf,
  memoryJwksCache,
  nowSeconds,
  type TestSigner,
} from '../support/test-issuer.js';

const issuer = 'https://api.test/prod';
const jwksUri = `${issuer}/.well-known/jwks.json`;
const audience = 'urn:narrowgate:service:basket';
const clientIssuer = 'https://idp.test';
let exchangeKey: TestSigner;

function narrowClaims(overrides: Record<string, unknown> = {}) {
  const now = nowSeconds();
  return {
    iss: issuer,
    sub: 'user-1',
    sub_id: { format: 'iss_sub', iss: clientIssuer, sub: 'user-1' },
    client_id: 'shop-web',
    aud: audience,
    scope: 'basket:read basket:write',
    iat: now,
    exp: now + 300,
    jti: 'j-1',
    act: { sub: 'urn:narrowgate:gateway' },
    ...overrides,
  };
}

function verifier(signers: TestSigner[] = [exchangeKey]) {
  const { cache } = memoryJwksCache({ [jwksUri]: jwksOf(...signers) });
  return createNarrowTokenVerifier({ issuer, jwksUri, audience, jwksCache: cache });
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the token to be refused');
}

beforeAll(async () => {
  exchangeKey = await createTestSigner('ES256', 'exchange-1');
});

describe('createNarrowTokenVerifier', () => {
  it('accepts a narrow token made for this service and reads its facts', async () => {
    const claims = narrowClaims();
    const token = await exchangeKey.sign(claims, { typ: 'at+jwt' });

    const verified = await verifier().verify(token, ['basket:write']);

    expect(verified).toEqual({
      subject: 'user-1',
      subjectIssuer: clientIssuer,
      clientId: 'shop-web',
      scopes: ['basket:read', 'basket:write'],
      expiresAt: claims.exp,
      actor: 'urn:narrowgate:gateway',
    });
  });

  it.each([
    [
      'a token for another service',
      { aud: 'urn:narrowgate:service:catalog' },
      {},
      'token_audience_not_allowed',
    ],
    [
      'a token for this and another service',
      { aud: [audience, 'urn:narrowgate:service:catalog'] },
      {},
      'token_audience_not_allowed',
    ],
    ['a token from another issuer', { iss: 'https://idp.test' }, {}, 'token_issuer_not_allowed'],
    ['a token typed JWT', {}, { typ: 'JWT' }, 'token_type_not_allowed'],
    ['an untyped token', {}, { typ: undefined }, 'token_type_not_allowed'],
    ['an expired token', { exp: nowSeconds() - 10 }, {}, 'token_expired'],
    ['a token without subject', { sub: undefined }, {}, 'token_claim_invalid'],
  ])('refuses %s with 401', async (_why, claims, header, code) => {
    const token = await exchangeKey.sign(narrowClaims(claims), { typ: 'at+jwt', ...header });

    const error = await refusal(verifier().verify(token, ['basket:read']));

    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).code).toBe(code);
  });

  it.each([
    ['without sub_id', undefined],
    ['with sub_id a string', 'https://idp.test|user-1'],
    ['with sub_id null', null],
    ['with sub_id an array', [clientIssuer, 'user-1']],
    ['with sub_id of format email', { format: 'email', email: 'user-1@idp.test' }],
    ['with sub_id of format opaque', { format: 'opaque', id: 'user-1' }],
    ['with sub_id without format', { iss: clientIssuer, sub: 'user-1' }],
    ['with sub_id of format ISS_SUB', { format: 'ISS_SUB', iss: clientIssuer, sub: 'user-1' }],
    ['with sub_id.sub not sub', { format: 'iss_sub', iss: clientIssuer, sub: 'user-2' }],
    ['with sub_id.iss a number', { format: 'iss_sub', iss: 42, sub: 'user-1' }],
    ['with sub_id.iss an object', { format: 'iss_sub', iss: { iss: clientIssuer }, sub: 'user-1' }],
    ['with sub_id.iss missing', { format: 'iss_sub', sub: 'user-1' }],
    ['with sub_id.iss empty', { format: 'iss_sub', iss: '', sub: 'user-1' }],
    ['with sub_id.sub a number', { format: 'iss_sub', iss: clientIssuer, sub: 1 }],
    ['with sub_id.sub an array', { format: 'iss_sub', iss: clientIssuer, sub: ['user-1'] }],
    ['with sub_id.sub missing', { format: 'iss_sub', iss: clientIssuer }],
  ])('refuses a token %s with 401 token_claim_invalid on sub_id', async (_why, subId) => {
    const token = await exchangeKey.sign(narrowClaims({ sub_id: subId }), { typ: 'at+jwt' });

    const error = await refusal(verifier().verify(token, ['basket:read']));

    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toMatchObject({ status: 401, code: 'token_claim_invalid', field: 'sub_id' });
  });

  it('refuses a token signed by a key the exchange does not publish', async () => {
    const stranger = await createTestSigner('ES256', 'exchange-1');
    const token = await stranger.sign(narrowClaims(), { typ: 'at+jwt' });

    const error = await refusal(verifier().verify(token, ['basket:read']));

    expect((error as InvalidTokenError).code).toBe('token_signature_invalid');
  });

  it('refuses an RS256 token even from a published key', async () => {
    const rsa = await createTestSigner('RS256', 'exchange-rsa');
    const token = await rsa.sign(narrowClaims(), { typ: 'at+jwt' });

    const error = await refusal(verifier([exchangeKey, rsa]).verify(token, ['basket:read']));

    expect((error as InvalidTokenError).code).toBe('token_algorithm_not_allowed');
  });

  it('answers 403 naming the missing scope, compared byte for byte', async () => {
    const token = await exchangeKey.sign(narrowClaims({ scope: 'basket:read Basket:write' }), {
      typ: 'at+jwt',
    });

    const error = await refusal(verifier().verify(token, ['basket:write']));

    expect(error).toBeInstanceOf(InsufficientScopeError);
    expect((error as InsufficientScopeError).missingScopes).toEqual(['basket:write']);
  });
});
