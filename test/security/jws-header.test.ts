import type { JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { DependencyError, InvalidTokenError } from '../../functions/shared/errors.js';
import { createAccessTokenVerifier } from '../../functions/shared/tokens/access-token-verifier.js';
import { createNarrowTokenVerifier } from '../../functions/shared/tokens/narrow-token-verifier.js';
import {
  createTestSigner,
  memoryJwksCache,
  nowSeconds,
  type TestSigner,
} from '../support/test-issuer.js';
import { createEd25519Key, signRaw, withoutAlg } from './raw-jws.js';

/**
 * Attacks on the JOSE header, against both verifiers: the gateway's (client
 * tokens, also the exchange's) and each service's (narrow tokens). Every
 * refusal must be a 401 (`InvalidTokenError`), never an Allow and never a
 * 500 an attacker can provoke at will.
 */

const gatewayIssuer = {
  name: 'idp',
  dialect: 'oidc',
  issuer: 'https://idp.example.com',
  jwksUri: 'https://idp.example.com/jwks',
  algorithms: ['RS256'],
  tokenTypes: ['at+jwt'],
  acceptUntypedTokens: false,
  clockLeewaySeconds: 30,
  audience: 'urn:narrowgate:gateway',
} as const;

const exchangeIssuer = 'https://exchange.example.com';
const exchangeJwksUri = `${exchangeIssuer}/.well-known/jwks.json`;
const basketAudience = 'urn:narrowgate:service:basket';

let rsa: TestSigner;
let ec: TestSigner;
let exchangeKey: TestSigner;

beforeAll(async () => {
  [rsa, ec, exchangeKey] = await Promise.all([
    createTestSigner('RS256', 'idp-rsa'),
    createTestSigner('ES256', 'idp-ec'),
    createTestSigner('ES256', 'exchange-1'),
  ]);
});

function clientClaims(): Record<string, unknown> {
  const now = nowSeconds();
  return {
    iss: gatewayIssuer.issuer,
    aud: gatewayIssuer.audience,
    sub: 'user-1',
    client_id: 'shop-web',
    scope: 'catalog.read',
    iat: now,
    exp: now + 600,
  };
}

function narrowClaims(): Record<string, unknown> {
  const now = nowSeconds();
  return {
    iss: exchangeIssuer,
    sub: 'user-1',
    sub_id: { format: 'iss_sub', iss: gatewayIssuer.issuer, sub: 'user-1' },
    aud: basketAudience,
    scope: 'basket:read',
    iat: now,
    exp: now + 300,
    act: { sub: 'urn:narrowgate:gateway' },
  };
}

/** The gateway's verifier over an issuer publishing `keys`, allowing `algorithms`. */
function gatewayVerifier(keys: JWK[], algorithms: string[] = ['RS256']) {
  const { cache } = memoryJwksCache({ [gatewayIssuer.jwksUri]: { keys } });
  return createAccessTokenVerifier([{ ...gatewayIssuer, algorithms } as never], {
    jwksCache: cache,
  });
}

function serviceVerifier(keys: JWK[]) {
  const { cache } = memoryJwksCache({ [exchangeJwksUri]: { keys } });
  return createNarrowTokenVerifier({
    issuer: exchangeIssuer,
    jwksUri: exchangeJwksUri,
    audience: basketAudience,
    jwksCache: cache,
  });
}

async function refusalOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the token to be refused');
}

async function expectInvalid(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await refusalOf(promise);
  expect(error).toBeInstanceOf(InvalidTokenError);
  expect(error).not.toBeInstanceOf(DependencyError);
  expect((error as InvalidTokenError).code).toBe(code);
}

describe('crit: extensions the verifier does not understand (RFC 7515 §4.1.11)', () => {
  it('are refused at the gateway, validly signed or not', async () => {
    const verifier = gatewayVerifier([rsa.publicJwk]);
    for (const crit of [['exp'], ['b64'], ['urn:example:bind']]) {
      const header = { alg: 'RS256', kid: rsa.kid, typ: 'at+jwt', crit, [crit[0] ?? '']: 1 };
      await expectInvalid(
        verifier.verify(signRaw(rsa.privateKey, header, clientClaims())),
        'token_malformed',
      );
    }
  });

  it('are refused at a service', async () => {
    const header = { alg: 'ES256', kid: exchangeKey.kid, typ: 'at+jwt', crit: ['cnf'], cnf: 1 };
    const token = signRaw(exchangeKey.privateKey, header, narrowClaims());

    await expectInvalid(
      serviceVerifier([exchangeKey.publicJwk]).verify(token, []),
      'token_malformed',
    );
  });
});

describe('alg: a key is used only with the algorithm family of its type', () => {
  it('refuses an ES256 signature labelled RS256 (EC key without alg)', async () => {
    // Prepare: the issuer publishes an EC key without `alg`; the definition allows RS256 only.
    const verifier = gatewayVerifier([withoutAlg(ec.publicJwk)], ['RS256']);
    const header = { alg: 'RS256', kid: ec.kid, typ: 'at+jwt' };

    // Act: an ECDSA signature, but the header claims an allowed algorithm.
    const token = signRaw(ec.privateKey, header, clientClaims(), 'ES256');

    // Assess
    await expectInvalid(verifier.verify(token), 'token_algorithm_not_allowed');
  });

  it('answers 401, not 500, to RS256 asked of an OKP key without alg', async () => {
    const ed = await createEd25519Key('idp-ed');
    const verifier = gatewayVerifier([ed.publicJwk], ['RS256', 'EdDSA']);
    const header = { alg: 'RS256', kid: 'idp-ed', typ: 'at+jwt' };
    const token = signRaw(ed.privateKey, header, clientClaims(), 'EdDSA');

    await expectInvalid(verifier.verify(token), 'token_algorithm_not_allowed');
  });

  it('answers 401 to an RSA key without alg asked for ES256 or EdDSA', async () => {
    const verifier = gatewayVerifier([withoutAlg(rsa.publicJwk)], ['RS256', 'ES256', 'EdDSA']);
    for (const alg of ['ES256', 'EdDSA']) {
      const token = signRaw(
        rsa.privateKey,
        { alg, kid: rsa.kid, typ: 'at+jwt' },
        clientClaims(),
        'RS256',
      );
      await expectInvalid(verifier.verify(token), 'token_algorithm_not_allowed');
    }
  });

  it('still accepts each algorithm with its own key when the JWK has no alg', async () => {
    const ed = await createEd25519Key('idp-ed');
    const verifier = gatewayVerifier(
      [withoutAlg(rsa.publicJwk), withoutAlg(ec.publicJwk), ed.publicJwk],
      ['RS256', 'ES256', 'EdDSA'],
    );
    const tokens = [
      signRaw(rsa.privateKey, { alg: 'RS256', kid: rsa.kid, typ: 'at+jwt' }, clientClaims()),
      signRaw(ec.privateKey, { alg: 'ES256', kid: ec.kid, typ: 'at+jwt' }, clientClaims()),
      signRaw(ed.privateKey, { alg: 'EdDSA', kid: 'idp-ed', typ: 'at+jwt' }, clientClaims()),
    ];
    for (const token of tokens) {
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'user-1' });
    }
  });

  it('refuses an EdDSA token from an issuer that allows RS256 only', async () => {
    const ed = await createEd25519Key('idp-ed');
    const verifier = gatewayVerifier([rsa.publicJwk, { ...ed.publicJwk, alg: 'EdDSA' }]);
    const token = signRaw(
      ed.privateKey,
      { alg: 'EdDSA', kid: 'idp-ed', typ: 'at+jwt' },
      clientClaims(),
    );

    await expectInvalid(verifier.verify(token), 'token_algorithm_not_allowed');
  });

  it('refuses an RS256 token at a service, even from a key the exchange publishes', async () => {
    const token = await rsa.sign(narrowClaims(), { typ: 'at+jwt' });

    await expectInvalid(
      serviceVerifier([exchangeKey.publicJwk, rsa.publicJwk]).verify(token, []),
      'token_algorithm_not_allowed',
    );
  });
});

describe('keys the token brings or points at', () => {
  it.each([
    ['jwk', (key: JWK) => ({ jwk: key })],
    ['jku', () => ({ jku: 'https://evil.example.com/jwks' })],
    ['x5u', () => ({ x5u: 'https://evil.example.com/cert.pem' })],
  ])(
    'ignores an embedded %s and refuses a token signed by the attacker key',
    async (_name, extra) => {
      // Prepare: the attacker's key, under the kid of the issuer's real key.
      const attacker = await createTestSigner('RS256', rsa.kid);
      const header = { alg: 'RS256', kid: rsa.kid, typ: 'at+jwt', ...extra(attacker.publicJwk) };

      // Act
      const token = signRaw(attacker.privateKey, header, clientClaims());

      // Assess
      await expectInvalid(
        gatewayVerifier([rsa.publicJwk]).verify(token),
        'token_signature_invalid',
      );
    },
  );

  it.each(['../idp-rsa', 'idp-rsa/../../jwks', '%2e%2e/idp-rsa', 'IDP-RSA', ' idp-rsa'])(
    'refuses kid %j: compared exactly, never a path',
    async (kid) => {
      const token = signRaw(rsa.privateKey, { alg: 'RS256', kid, typ: 'at+jwt' }, clientClaims());

      await expectInvalid(gatewayVerifier([rsa.publicJwk]).verify(token), 'token_key_unknown');
    },
  );

  it('uses the first of duplicate kids, so the second key signs nothing', async () => {
    const twin = await createTestSigner('RS256', rsa.kid);
    const verifier = gatewayVerifier([rsa.publicJwk, twin.publicJwk]);

    await expectInvalid(
      verifier.verify(await twin.sign(clientClaims(), { typ: 'at+jwt' })),
      'token_signature_invalid',
    );
    await expect(
      verifier.verify(await rsa.sign(clientClaims(), { typ: 'at+jwt' })),
    ).resolves.toMatchObject({
      subject: 'user-1',
    });
  });

  it("refuses a client token signed with the exchange's key under the issuer's name", async () => {
    // A narrow-token key (ES256) cannot sign for a gateway issuer: it is not in its JWKS.
    const token = await exchangeKey.sign(clientClaims(), { typ: 'at+jwt' });

    await expectInvalid(
      gatewayVerifier([rsa.publicJwk], ['RS256', 'ES256']).verify(token),
      'token_key_unknown',
    );
  });
});

describe('typ: compared exactly, no variant accepted', () => {
  it.each([['AT+JWT'], ['application/at+jwt'], ['at+JWT'], ['at+jwt '], [['at+jwt']], [null]])(
    'refuses typ %j at the gateway',
    async (typ) => {
      const token = signRaw(rsa.privateKey, { alg: 'RS256', kid: rsa.kid, typ }, clientClaims());

      await expectInvalid(gatewayVerifier([rsa.publicJwk]).verify(token), 'token_type_not_allowed');
    },
  );

  it.each([['application/at+jwt'], ['JWT'], [undefined]])(
    'refuses typ %j at a service',
    async (typ) => {
      const header = { alg: 'ES256', kid: exchangeKey.kid, ...(typ === undefined ? {} : { typ }) };
      const token = signRaw(exchangeKey.privateKey, header, narrowClaims());

      await expectInvalid(
        serviceVerifier([exchangeKey.publicJwk]).verify(token, []),
        'token_type_not_allowed',
      );
    },
  );
});
