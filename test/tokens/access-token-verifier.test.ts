import { beforeAll, describe, expect, it } from 'vitest';
import type { IssuerConfig } from '../../functions/shared/definition/schema.js';
import { DependencyError, InvalidTokenError } from '../../functions/shared/errors.js';
import { createAccessTokenVerifier } from '../../functions/shared/tokens/access-token-verifier.js';
import { signShape, tokenShape } from '../support/fixtures.js';
import {
  createTestSigner,
  jwksOf,
  memoryJwksCache,
  nowSeconds,
  type TestSigner,
} from '../support/test-issuer.js';

/** Issuer configurations that accept the fixtures' shapes, one per dialect. */
function issuerFor(dialect: string): IssuerConfig {
  const common = { algorithms: ['RS256' as const], clockLeewaySeconds: 30 };
  switch (dialect) {
    case 'cognito':
      return {
        ...common,
        name: 'cognito',
        dialect: 'cognito',
        issuer: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_aBcDeFgHi',
        jwksUri: 'https://keys.test/cognito',
        tokenTypes: [],
        acceptUntypedTokens: true,
        resourceServer: 'rbac-api',
        clientIds: ['1example2client3id4abcdefg'],
      };
    case 'entra-v2':
      return {
        ...common,
        name: 'entra-v2',
        dialect: 'entra',
        issuer: 'https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0',
        jwksUri: 'https://keys.test/entra',
        tokenTypes: ['JWT'],
        acceptUntypedTokens: false,
        audience: '22222222-2222-2222-2222-222222222222',
      };
    case 'entra-v1':
      return {
        ...issuerFor('entra-v2'),
        name: 'entra-v1',
        issuer: 'https://sts.windows.net/11111111-1111-1111-1111-111111111111/',
      };
    case 'auth0':
      return {
        ...common,
        name: 'auth0',
        dialect: 'auth0',
        issuer: 'https://example-tenant.us.auth0.com/',
        jwksUri: 'https://keys.test/auth0',
        tokenTypes: ['JWT', 'at+jwt'],
        acceptUntypedTokens: false,
        audience: 'http://localhost:8080',
      };
    case 'okta':
      return {
        ...common,
        name: 'okta',
        dialect: 'okta',
        issuer: 'https://example.okta.com/oauth2/default',
        jwksUri: 'https://keys.test/okta',
        tokenTypes: [],
        acceptUntypedTokens: true,
        audience: 'https://api.example.com',
      };
    default:
      return {
        ...common,
        name: 'oidc',
        dialect: 'oidc',
        issuer: 'https://op.example.com',
        jwksUri: 'https://keys.test/oidc',
        tokenTypes: ['at+jwt'],
        acceptUntypedTokens: false,
        audience: 'https://api.example.com',
      };
  }
}

const dialects = ['cognito', 'entra-v1', 'entra-v2', 'auth0', 'okta', 'oidc'];
let signer: TestSigner;

function verifierFor(...names: string[]) {
  const issuers = names.map(issuerFor);
  const { cache, fetches } = memoryJwksCache(
    Object.fromEntries(issuers.map((issuer) => [issuer.jwksUri, jwksOf(signer)])),
  );
  return { verifier: createAccessTokenVerifier(issuers, { jwksCache: cache }), fetches };
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
  signer = await createTestSigner('RS256');
});

describe('createAccessTokenVerifier, by dialect', () => {
  it.each([
    [
      'cognito',
      'amazon-cognito-user-pools',
      'access_token (user sign-in via',
      ['admin', 'user'],
      '1example2client3id4abcdefg',
    ],
    [
      'entra-v1',
      'microsoft-entra-id',
      'access_token v1.0',
      ['user_impersonation'],
      '33333333-3333-3333-3333-333333333333',
    ],
    [
      'entra-v2',
      'microsoft-entra-id',
      'access_token v2.0 (delegated, scp string',
      ['access_as_user', 'Orders.Read'],
      '33333333-3333-3333-3333-333333333333',
    ],
    ['auth0', 'auth0', 'access_token (Auth0 token profile, RBAC', ['read:messages'], 'client-abc'],
    [
      'okta',
      'okta',
      'access_token (custom authorization server, user',
      ['openid', 'email', 'flights', 'custom'],
      'nmdP1fcyvdVO11AL7ECm',
    ],
    ['oidc', 'panva-oidc-provider', 'access_token', ['openid', 'api:read'], 'client-abc'],
  ])(
    'reads a %s access token by its dialect',
    async (dialect, provider, kind, scopes, clientId) => {
      const { verifier } = verifierFor(...dialects);
      const token = await signShape(signer, tokenShape(provider, kind));

      const verified = await verifier.verify(token);

      expect(verified.issuer.name).toBe(dialect);
      expect(verified.scopes).toEqual(scopes);
      expect(verified.clientId).toBe(clientId);
    },
  );

  it('counts only the gateway resource server scopes of a Cognito token', async () => {
    const { verifier } = verifierFor('cognito');
    const shape = tokenShape('amazon-cognito-user-pools', 'access_token (client_credentials');
    const token = await signShape(signer, shape, {
      client_id: '1example2client3id4abcdefg',
      scope: 'rbac-api/catalog.read other-api/basket.write rbac-api-evil/catalog.write openid',
    });

    const verified = await verifier.verify(token);

    expect(verified.scopes).toEqual(['catalog.read']);
  });

  it('reads Entra roles as no scopes: the dialect reads scp only', async () => {
    const { verifier } = verifierFor('entra-v2');
    const token = await signShape(
      signer,
      tokenShape('microsoft-entra-id', 'access_token v2.0 (app-only'),
    );

    const verified = await verifier.verify(token);

    expect(verified.scopes).toEqual([]);
  });
});

describe('createAccessTokenVerifier refuses', () => {
  it.each([
    [
      'a Cognito ID token',
      'cognito',
      'amazon-cognito-user-pools',
      'id_token',
      {
        iss: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_aBcDeFgHi',
      },
      'token_use_not_allowed',
    ],
    [
      'a Cognito access token of another app client',
      'cognito',
      'amazon-cognito-user-pools',
      'access_token (client_credentials',
      {
        client_id: 'someotherclient',
      },
      'token_client_not_allowed',
    ],
    [
      'an Entra v2 ID token',
      'entra-v2',
      'microsoft-entra-id',
      'id_token v2.0',
      {
        iss: 'https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0',
      },
      'token_audience_not_allowed',
    ],
    [
      'an Entra v1 ID token',
      'entra-v1',
      'microsoft-entra-id',
      'id_token v1.0',
      {},
      'token_audience_not_allowed',
    ],
    [
      'an Auth0 token whose aud array lacks the gateway',
      'auth0',
      'auth0',
      'access_token (Auth0 token profile, user',
      {},
      'token_audience_not_allowed',
    ],
    [
      'an Okta token with no typ where only typed tokens pass',
      'oidc',
      'okta',
      'access_token (custom authorization server, user',
      {
        iss: 'https://op.example.com',
      },
      'token_type_not_allowed',
    ],
    [
      'a token of an unknown issuer',
      'oidc',
      'panva-oidc-provider',
      'access_token',
      {
        iss: 'https://evil.example.com',
      },
      'token_issuer_not_allowed',
    ],
    [
      'a token with no issuer',
      'oidc',
      'panva-oidc-provider',
      'access_token',
      {
        iss: undefined,
      },
      'token_issuer_not_allowed',
    ],
    [
      'a token with no expiry',
      'oidc',
      'panva-oidc-provider',
      'access_token',
      {
        exp: undefined,
      },
      'token_claim_invalid',
    ],
    [
      'a token with no subject',
      'oidc',
      'panva-oidc-provider',
      'access_token',
      {
        sub: undefined,
      },
      'token_claim_invalid',
    ],
    [
      'a token whose scope is not a string',
      'oidc',
      'panva-oidc-provider',
      'access_token',
      {
        scope: ['api:read'],
      },
      'token_malformed',
    ],
    [
      'an Auth0 token whose permissions are not strings',
      'auth0',
      'auth0',
      'access_token (Auth0 token profile, RBAC',
      {
        permissions: [1],
      },
      'token_claim_invalid',
    ],
  ])('%s', async (_why, dialect, provider, kind, overrides, code) => {
    const { verifier } = verifierFor(dialect);
    const token = await signShape(signer, tokenShape(provider, kind), overrides);

    const error = await refusal(verifier.verify(token));

    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).code).toBe(code);
  });

  it('a token signed with an algorithm the issuer does not allow', async () => {
    const esSigner = await createTestSigner('ES256', signer.kid);
    const issuer = issuerFor('oidc');
    const { cache } = memoryJwksCache({ [issuer.jwksUri]: jwksOf(esSigner) });
    const verifier = createAccessTokenVerifier([issuer], { jwksCache: cache });
    const token = await signShape(esSigner, tokenShape('panva-oidc-provider', 'access_token'));

    const error = await refusal(verifier.verify(token));

    expect((error as InvalidTokenError).code).toBe('token_algorithm_not_allowed');
  });

  it('with a 500-class error, not a 401, when the JWKS cannot be fetched', async () => {
    const issuer = issuerFor('oidc');
    const { cache } = memoryJwksCache({ [issuer.jwksUri]: new Error('connection refused') });
    const verifier = createAccessTokenVerifier([issuer], { jwksCache: cache });
    const token = await signShape(signer, tokenShape('panva-oidc-provider', 'access_token'));

    const error = await refusal(verifier.verify(token));

    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).code).toBe('jwks_unreachable');
  });

  it('an over-long token before parsing it', async () => {
    const { verifier, fetches } = verifierFor('oidc');

    const error = await refusal(verifier.verify(`eyJ${'A'.repeat(9000)}.e30.sig`));

    expect((error as InvalidTokenError).code).toBe('token_too_large');
    expect(fetches).toEqual([]);
  });

  it('an issued-at beyond the leeway, but not one within it', async () => {
    const { verifier } = verifierFor('oidc');
    const shape = tokenShape('panva-oidc-provider', 'access_token');

    const future = await signShape(signer, shape, { iat: nowSeconds() + 31 });
    const withinLeeway = await signShape(signer, shape, { iat: nowSeconds() + 20 });

    expect(((await refusal(verifier.verify(future))) as InvalidTokenError).code).toBe(
      'token_issued_in_future',
    );
    await expect(verifier.verify(withinLeeway)).resolves.toMatchObject({ subject: 'user-123' });
  });
});
