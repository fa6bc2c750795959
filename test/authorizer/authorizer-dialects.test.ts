import type { JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { signShape, tokenShape } from '../support/fixtures.js';
import {
  bearerEvent,
  cognitoResourceServer,
  createHarness,
  gatewayAudience,
  type Harness,
  type IssuerName,
  issuers,
  methodArnPrefix,
} from './harness.js';

/**
 * A token of each identity provider's published shape, signed with a test
 * key and pointed at the gateway, is allowed on `GET /catalog/events/{id}`
 * when its dialect's scope claim holds `catalog.read`.
 */

interface DialectCase {
  readonly name: string;
  readonly issuer: IssuerName;
  readonly provider: string;
  readonly kind: string;
  readonly claims: JWTPayload;
  readonly clientId: string;
  readonly subject: string;
}

const userSub = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

const cases: DialectCase[] = [
  {
    name: 'oidc-provider: scope string, client_id',
    issuer: 'oidc',
    provider: 'panva-oidc-provider',
    kind: 'access_token',
    claims: { aud: gatewayAudience, scope: 'openid catalog.read' },
    clientId: 'client-abc',
    subject: 'user-123',
  },
  {
    name: 'oidc: audience array holding the gateway',
    issuer: 'oidc',
    provider: 'panva-oidc-provider',
    kind: 'access_token',
    claims: { aud: ['https://op.example.com/userinfo', gatewayAudience], scope: 'catalog.read' },
    clientId: 'client-abc',
    subject: 'user-123',
  },
  {
    name: 'Cognito user: resource-server scopes mixed with openid, no aud, no typ',
    issuer: 'cognito',
    provider: 'amazon-cognito-user-pools',
    kind: 'access_token (user sign-in via',
    claims: { scope: `${cognitoResourceServer}/catalog.read openid` },
    clientId: '1example2client3id4abcdefg',
    subject: userSub,
  },
  {
    name: 'Cognito client credentials: sub is the app client',
    issuer: 'cognito',
    provider: 'amazon-cognito-user-pools',
    kind: 'access_token (client_credentials',
    claims: { scope: `${cognitoResourceServer}/catalog.read` },
    clientId: '1example2client3id4abcdefg',
    subject: '1example2client3id4abcdefg',
  },
  {
    name: 'Entra v1.0: scp string, appid',
    issuer: 'entra-v1',
    provider: 'microsoft-entra-id',
    kind: 'access_token v1.0',
    claims: { aud: gatewayAudience, scp: 'catalog.read' },
    clientId: '33333333-3333-3333-3333-333333333333',
    subject: 'l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA',
  },
  {
    name: 'Entra v2.0: scp string, azp',
    issuer: 'entra-v2',
    provider: 'microsoft-entra-id',
    kind: 'access_token v2.0 (delegated, scp only',
    claims: { aud: gatewayAudience, scp: 'user_impersonation catalog.read' },
    clientId: '33333333-3333-3333-3333-333333333333',
    subject: 'HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ',
  },
  {
    name: 'Auth0 RBAC: permissions array, aud array, azp',
    issuer: 'auth0',
    provider: 'auth0',
    kind: "access_token (Auth0 token profile, RBAC 'Add",
    claims: {
      aud: [gatewayAudience, 'https://example-tenant.us.auth0.com/userinfo'],
      permissions: ['catalog.read'],
    },
    clientId: 'client-abc',
    subject: 'auth0|0123456789abcdef01234567',
  },
  {
    name: 'Auth0 RFC 9068 profile: at+jwt, client_id, permissions',
    issuer: 'auth0',
    provider: 'auth0',
    kind: 'access_token (RFC 9068',
    claims: { aud: [gatewayAudience], permissions: ['catalog.read', 'catalog.write'] },
    clientId: 'client-abc',
    subject: 'auth0|0123456789abcdef01234567',
  },
  {
    name: 'Okta user: scp array, cid, no typ',
    issuer: 'okta',
    provider: 'okta',
    kind: 'access_token (custom authorization server, user',
    claims: { aud: gatewayAudience, scp: ['openid', 'email', 'catalog.read'] },
    clientId: 'nmdP1fcyvdVO11AL7ECm',
    subject: '00ujmkLgagxeRrAg20g3',
  },
  {
    name: 'Okta client credentials: scp array',
    issuer: 'okta',
    provider: 'okta',
    kind: 'access_token (custom authorization server, client_credentials',
    claims: { aud: gatewayAudience, scp: ['catalog.read'] },
    clientId: 'nmdP1fcyvdVO11AL7ECm',
    subject: 'nmdP1fcyvdVO11AL7ECm',
  },
];

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness();
});

describe('the authorizer allows each dialect', () => {
  it.each(cases)('$name', async ({ issuer, provider, kind, claims, clientId, subject }) => {
    // Prepare
    const token = await signShape(harness.signers[issuer], tokenShape(provider, kind), {
      iss: issuers[issuer].issuer,
      ...claims,
    });

    // Act
    const result = await harness.authorizer.authorize(bearerEvent(token));

    // Assess
    expect(result.principalId).toBe(subject);
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: [`${methodArnPrefix}/GET/catalog/events/*`],
      },
    ]);
    expect(result.context).toEqual({
      downstreamToken: expect.stringMatching(/^narrow-/),
      subject,
      clientId,
      scopes: 'catalog:read',
      service: 'catalog',
      issuer: issuers[issuer].name,
      mode: 'exchange',
    });
  });
});

describe('the authorizer reads one claim per dialect, never a merge', () => {
  it('refuses Auth0 when only the scope string, not permissions, holds the scope', async () => {
    const token = await signShape(
      harness.signers.auth0,
      tokenShape('auth0', "access_token (Auth0 token profile, RBAC 'Add"),
      {
        aud: gatewayAudience,
        scope: 'openid catalog.read',
        permissions: ['basket.read'],
      },
    );

    const result = await harness.authorizer.authorize(bearerEvent(token));

    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
  });

  it('refuses an Entra token whose roles, but not scp, hold the scope', async () => {
    const token = await signShape(
      harness.signers['entra-v2'],
      tokenShape('microsoft-entra-id', 'access_token v2.0 (delegated, scp string + roles'),
      { aud: gatewayAudience, roles: ['catalog.read'] },
    );

    const result = await harness.authorizer.authorize(bearerEvent(token));

    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
  });
});
