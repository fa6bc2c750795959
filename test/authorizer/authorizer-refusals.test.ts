import { createHmac, createPublicKey } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { signShape, tokenShape } from '../support/fixtures.js';
import { createTestSigner, nowSeconds } from '../support/test-issuer.js';
import {
  bearerEvent,
  cognitoClientId,
  cognitoResourceServer,
  createHarness,
  expectFailure,
  expectUnauthorized,
  gatewayAudience,
  type Harness,
  issuers,
  requestEvent,
} from './harness.js';

/**
 * Every way a request must fail, each with the exact outcome API Gateway
 * turns into a status: `Error('Unauthorized')` → 401, a Deny policy → 403,
 * any other error → 500. The route is `GET /catalog/events/{eventId}`,
 * which needs the gateway scope `catalog.read`.
 */

const frozenAt = new Date('2026-03-01T12:00:00Z');

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness();
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(frozenAt);
  harness.exchange.answer = undefined;
});

afterEach(() => {
  vi.useRealTimers();
});

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A token with any header and payload and a signature over them made by `sign`. */
function craftToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  sign: (input: string) => string = () => '',
): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${sign(input)}`;
}

function validOidcClaims(): Record<string, unknown> {
  const now = nowSeconds();
  return {
    iss: issuers.oidc.issuer,
    aud: gatewayAudience,
    sub: 'user-123',
    client_id: 'client-abc',
    scope: 'catalog.read',
    iat: now - 60,
    exp: now + 3600,
  };
}

/** A Cognito access token of the fixture's shape, for the gateway's resource server. */
function cognitoAccessToken(overrides: Record<string, unknown> = {}): Promise<string> {
  return signShape(
    harness.signers.cognito,
    tokenShape('amazon-cognito-user-pools', 'access_token (user sign-in via'),
    { scope: `${cognitoResourceServer}/catalog.read openid`, ...overrides },
  );
}

type Outcome = '401' | `403 ${string}` | '500';

interface RefusalCase {
  readonly name: string;
  readonly outcome: Outcome;
  readonly event: () => Promise<APIGatewayRequestAuthorizerEvent>;
}

const withToken = (make: () => Promise<string>) => async () => bearerEvent(await make());
const withHeader = (value: string | (() => Promise<string>)) => async () =>
  requestEvent({
    headers: { Authorization: typeof value === 'string' ? value : await value() },
  });

const cases: RefusalCase[] = [
  { name: 'no Authorization header', outcome: '401', event: async () => requestEvent() },
  {
    name: 'the Basic scheme',
    outcome: '401',
    event: withHeader(`Basic ${base64url('user:password')}`),
  },
  {
    name: 'a token without a scheme',
    outcome: '401',
    event: withHeader(() => harness.oidcToken('catalog.read')),
  },
  {
    name: 'two tokens in one header',
    outcome: '401',
    event: withHeader(async () => `Bearer ${await harness.oidcToken('catalog.read')} extra`),
  },
  {
    name: 'two Authorization headers',
    outcome: '401',
    event: async () => {
      const token = await harness.oidcToken('catalog.read');
      return requestEvent({
        headers: { Authorization: `Bearer ${token}` },
        multiValueHeaders: { Authorization: [`Bearer ${token}`, `Bearer ${token}`] },
      });
    },
  },
  {
    name: 'alg none',
    outcome: '401',
    event: withToken(async () =>
      craftToken({ alg: 'none', typ: 'at+jwt', kid: harness.signers.oidc.kid }, validOidcClaims()),
    ),
  },
  {
    name: "HMAC signed with the issuer's public key",
    outcome: '401',
    event: withToken(async () => {
      // The classic key-confusion attack: the public key, as PEM, used as an HMAC secret.
      const publicPem = createPublicKey({
        key: harness.signers.oidc.publicJwk as import('node:crypto').JsonWebKey,
        format: 'jwk',
      }).export({ type: 'spki', format: 'pem' });
      return craftToken(
        { alg: 'HS256', typ: 'at+jwt', kid: harness.signers.oidc.kid },
        validOidcClaims(),
        (input) => createHmac('sha256', publicPem).update(input).digest('base64url'),
      );
    }),
  },
  {
    name: 'an unknown kid',
    outcome: '401',
    event: withToken(async () => {
      const stranger = await createTestSigner('RS256', 'not-published');
      return stranger.sign(validOidcClaims(), { typ: 'at+jwt' });
    }),
  },
  {
    name: 'an issuer not in the definition',
    outcome: '401',
    event: withToken(() => harness.oidcToken('catalog.read', { iss: 'https://evil.example.com' })),
  },
  {
    name: 'an issuer of the definition, signed with another issuer’s key',
    outcome: '401',
    event: withToken(() => harness.signers.okta.sign({ ...validOidcClaims() }, { typ: 'at+jwt' })),
  },
  {
    name: 'another audience',
    outcome: '401',
    event: withToken(() =>
      harness.oidcToken('catalog.read', { aud: 'urn:narrowgate:service:catalog' }),
    ),
  },
  {
    name: 'an audience array without the gateway',
    outcome: '401',
    event: withToken(() =>
      harness.oidcToken('catalog.read', {
        aud: ['https://api.example.com', 'https://op.example.com/userinfo'],
      }),
    ),
  },
  {
    name: 'an ID token typed JWT instead of at+jwt',
    outcome: '401',
    event: withToken(() =>
      harness.signers.oidc.sign({ ...validOidcClaims(), nonce: 'n-1' }, { typ: 'JWT' }),
    ),
  },
  {
    name: 'a Cognito ID token',
    outcome: '401',
    event: withToken(() =>
      signShape(harness.signers.cognito, tokenShape('amazon-cognito-user-pools', 'id_token'), {
        iss: issuers.cognito.issuer,
        aud: cognitoClientId,
      }),
    ),
  },
  {
    name: 'a Cognito access token of an app client not allowed',
    outcome: '401',
    event: withToken(() => cognitoAccessToken({ client_id: '9other9client9id9abcdefgh' })),
  },
  {
    name: 'an expired token, beyond the leeway',
    outcome: '401',
    event: withToken(() =>
      harness.oidcToken('catalog.read', { iat: nowSeconds() - 600, exp: nowSeconds() - 31 }),
    ),
  },
  {
    name: 'nbf in the future, beyond the leeway',
    outcome: '401',
    event: withToken(() => harness.oidcToken('catalog.read', { nbf: nowSeconds() + 120 })),
  },
  {
    name: 'iat in the future, beyond the leeway',
    outcome: '401',
    event: withToken(() => harness.oidcToken('catalog.read', { iat: nowSeconds() + 120 })),
  },
  {
    name: 'a non-numeric exp',
    outcome: '401',
    event: withToken(() =>
      harness.oidcToken('catalog.read', { exp: String(nowSeconds() + 3600) as never }),
    ),
  },
  {
    name: 'no exp at all',
    outcome: '401',
    event: withToken(async () => {
      const { exp: _exp, ...claims } = validOidcClaims();
      return harness.signers.oidc.sign(claims, { typ: 'at+jwt' });
    }),
  },
  {
    name: 'an oversized token',
    outcome: '401',
    event: withHeader(`Bearer ${'a'.repeat(9000)}`),
  },
  {
    name: 'a missing scope',
    outcome: '403 insufficient_scope',
    event: withToken(() => harness.oidcToken('basket.read basket.write')),
  },
  {
    name: 'the right scope of another Cognito resource server',
    outcome: '403 insufficient_scope',
    event: withToken(() => cognitoAccessToken({ scope: 'other-api/catalog.read openid' })),
  },
  {
    name: 'the scope in another letter case',
    outcome: '403 insufficient_scope',
    event: withToken(() => harness.oidcToken('Catalog.Read')),
  },
  {
    name: 'a scope that only starts like the required one',
    outcome: '403 insufficient_scope',
    event: withToken(() => harness.oidcToken('catalog.readonly catalog')),
  },
];

describe('the authorizer refuses', () => {
  it.each(cases)('$name: $outcome', async ({ event, outcome }) => {
    const answer = harness.authorizer.authorize(await event());

    if (outcome === '401') {
      await expectUnauthorized(answer);
    } else if (outcome === '500') {
      await expectFailure(answer, 'jwks_unreachable');
    } else {
      const result = await answer;
      expect(result.policyDocument.Statement).toEqual([
        expect.objectContaining({ Effect: 'Deny' }),
      ]);
      expect(result.context).toEqual({
        reason: outcome.slice(4),
        error: 'insufficient_scope',
      });
    }
    // Nothing reached the exchange for a refused token.
    expect(harness.exchange.requests).toEqual([]);
  });
});

describe('the authorizer fails closed with a 500', () => {
  it('when the JWKS is down and the kid is unknown, never allowing', async () => {
    // Prepare: a fresh harness, so no earlier unknown kid has put the JWKS
    // URI in aws-jwt-verify's penalty box (which would answer 401 unasked).
    const fresh = await createHarness();
    await fresh.verifier.hydrate();
    fresh.jwks[issuers.oidc.jwksUri] = new Error('connection refused');
    const rotated = await createTestSigner('ES256', 'rotated-key');
    const token = await rotated.sign(validOidcClaims(), { typ: 'at+jwt' });

    // Act
    const answer = fresh.authorizer.authorize(bearerEvent(token));

    // Assess: a 500 after a real attempt to fetch the keys again.
    await expectFailure(answer, 'jwks_unreachable');
    expect(fresh.fetches.filter((uri) => uri === issuers.oidc.jwksUri)).toHaveLength(2);
    expect(fresh.exchange.requests).toEqual([]);
  });

  it('when the exchange is down', async () => {
    harness.exchange.answer = () => Promise.reject(new Error('connect ECONNREFUSED'));
    const token = await harness.oidcToken('catalog.read');

    await expectFailure(harness.authorizer.authorize(bearerEvent(token)), 'exchange_failed');
  });

  it('when the exchange answers something that is not RFC 8693', async () => {
    harness.exchange.answer = async () => ({ token: 'x' });
    const token = await harness.oidcToken('catalog.read');

    await expectFailure(harness.authorizer.authorize(bearerEvent(token)), 'exchange_failed');
  });

  it('when the exchange grants a scope it was not asked for', async () => {
    harness.exchange.answer = async () => ({
      access_token: 'wide',
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'catalog:read catalog:write',
    });
    const token = await harness.oidcToken('catalog.read');

    await expectFailure(harness.authorizer.authorize(bearerEvent(token)), 'exchange_misbehaved');
  });
});

describe('the authorizer answers an exchange refusal', () => {
  it.each(['invalid_scope', 'invalid_target', 'unauthorized_client'])(
    '%s with a 403 Deny',
    async (error) => {
      harness.exchange.answer = async () => ({ error, error_description: 'no' });
      const token = await harness.oidcToken('catalog.read');

      const result = await harness.authorizer.authorize(bearerEvent(token));

      expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
      expect(result.context).toEqual({ reason: 'exchange_refused', error: 'insufficient_scope' });
    },
  );

  it('invalid_request, a refused subject token, with a 401', async () => {
    harness.exchange.answer = async () => ({ error: 'invalid_request' });
    const token = await harness.oidcToken('catalog.read');

    await expectUnauthorized(harness.authorizer.authorize(bearerEvent(token)));
  });

  it('a grant narrower than the route needs with a 403 Deny', async () => {
    harness.exchange.answer = async () => ({
      access_token: 'narrower',
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 300,
      scope: '',
    });
    const token = await harness.oidcToken('catalog.read');

    const result = await harness.authorizer.authorize(bearerEvent(token));

    expect(result.context).toEqual({ reason: 'exchange_refused', error: 'insufficient_scope' });
  });
});
