import type { JWTPayload } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  bearerEvent,
  cognitoResourceServer,
  createHarness,
  expectUnauthorized,
  gatewayAudience,
  type Harness,
  type IssuerName,
  issuers,
  requestEvent,
} from '../authorizer/harness.js';
import { signShape, tokenShape } from '../support/fixtures.js';
import { createTestSigner, nowSeconds, type TestSigner } from '../support/test-issuer.js';

/**
 * The gateway against tokens that were made, but not for it, and scopes
 * that only look like the route's. Route: `GET /catalog/events/{eventId}`,
 * gateway scope `catalog.read`. Outcomes as API Gateway answers them:
 * `Error('Unauthorized')` → 401, a Deny → 403, an Allow.
 */

let harness: Harness;
let exchangeKey: TestSigner;

beforeAll(async () => {
  harness = await createHarness();
  exchangeKey = await createTestSigner('ES256', 'exchange-1');
});

beforeEach(() => {
  harness.exchange.answer = undefined;
  harness.exchange.requests.length = 0;
});

/** A token of `issuer`'s published shape with `claims`, signed by its test key. */
function dialectToken(issuer: IssuerName, provider: string, kind: string, claims: JWTPayload) {
  return signShape(harness.signers[issuer], tokenShape(provider, kind), {
    iss: issuers[issuer].issuer,
    ...claims,
  });
}

const cognito = (scope: string) =>
  dialectToken('cognito', 'amazon-cognito-user-pools', 'access_token (user sign-in via', { scope });
const okta = (scp: JWTPayload['scp']) =>
  dialectToken('okta', 'okta', 'access_token (custom authorization server, user', {
    aud: gatewayAudience,
    scp,
  });
const entra = (scp: JWTPayload['scp']) =>
  dialectToken('entra-v2', 'microsoft-entra-id', 'access_token v2.0 (delegated, scp only', {
    aud: gatewayAudience,
    scp,
  });

async function expectDeny(token: string): Promise<void> {
  const result = await harness.authorizer.authorize(bearerEvent(token));
  expect(result.policyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Deny' })]);
  expect(result.context).toEqual({ reason: 'insufficient_scope', error: 'insufficient_scope' });
  expect(harness.exchange.requests).toEqual([]);
}

describe('a narrow token replayed at the gateway', () => {
  it('is refused: the exchange is no issuer of the gateway', async () => {
    // A narrow token as the exchange mints it, for the catalog.
    const now = nowSeconds();
    const narrow = await exchangeKey.sign(
      {
        iss: 'https://exchange.example.com',
        sub: 'user-1',
        sub_id: { format: 'iss_sub', iss: issuers.oidc.issuer, sub: 'user-1' },
        aud: 'urn:narrowgate:service:catalog',
        scope: 'catalog:read',
        client_id: 'client-abc',
        iat: now,
        exp: now + 300,
        act: { sub: 'urn:narrowgate:gateway' },
      },
      { typ: 'at+jwt' },
    );

    await expectUnauthorized(harness.authorizer.authorize(bearerEvent(narrow)));
    expect(harness.exchange.requests).toEqual([]);
  });

  it("is refused under a gateway issuer's name: the exchange key is not the issuer's", async () => {
    const now = nowSeconds();
    const claims = {
      iss: issuers.oidc.issuer,
      aud: gatewayAudience,
      sub: 'user-1',
      scope: 'catalog.read',
      iat: now,
      exp: now + 300,
    };

    const forged = await exchangeKey.sign(claims, { typ: 'at+jwt' });

    await expectUnauthorized(harness.authorizer.authorize(bearerEvent(forged)));
  });
});

describe('Cognito scopes are read only under the gateway resource server', () => {
  it.each([
    [`${cognitoResourceServer}-evil/catalog.read`],
    [`${cognitoResourceServer}evil/catalog.read`],
    [cognitoResourceServer],
    [`${cognitoResourceServer}/`],
    [`${cognitoResourceServer}//catalog.read`],
    [`${cognitoResourceServer.toUpperCase()}/catalog.read`],
    [`openid\t${cognitoResourceServer}/catalog.read`],
    ['catalog.read'],
    [`other-api/${cognitoResourceServer}/catalog.read`],
  ])('denies scope %j', async (scope) => {
    await expectDeny(await cognito(scope));
  });

  it('allows the scope under the resource server, whatever else the token holds', async () => {
    const token = await cognito(`other-api/catalog.write ${cognitoResourceServer}/catalog.read`);

    const result = await harness.authorizer.authorize(bearerEvent(token));

    expect(result.policyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Allow' })]);
    expect(harness.exchange.requests).toMatchObject([{ scope: 'catalog:read' }]);
  });
});

describe('scopes that only look like the route’s', () => {
  it.each([
    ['a tab instead of a space', 'basket.read\tcatalog.read'],
    ['a newline instead of a space', 'basket.read\ncatalog.read'],
    ['a zero-width space', 'catalog.read\u200b'],
    ['a one-dot leader for the dot', 'catalog\u2024read'],
    ['a Cyrillic a', 'c\u0430talog.read'],
    ['a non-breaking space', 'basket.read\u00a0catalog.read'],
  ])('denies %s', async (_case, scope) => {
    await expectDeny(await harness.oidcToken(scope));
  });

  it('reads duplicate spaces as separators, which adds no scope', async () => {
    const result = await harness.authorizer.authorize(
      bearerEvent(await harness.oidcToken('basket.read  catalog.read')),
    );

    expect(result.policyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Allow' })]);
    expect(harness.exchange.requests).toMatchObject([{ scope: 'catalog:read' }]);
  });

  it('denies an Okta scp array whose one item holds two scopes', async () => {
    await expectDeny(await okta(['basket.read catalog.read']));
  });

  it('denies an Entra scp array item with a trailing space', async () => {
    await expectDeny(await entra(['catalog.read ']));
  });

  it('refuses with 401 an Okta scp that is neither a string nor a string array', async () => {
    await expectUnauthorized(
      harness.authorizer.authorize(bearerEvent(await okta({ 0: 'catalog.read' } as never))),
    );
  });
});

describe('the Authorization header', () => {
  it('refuses a second header hidden in another letter case in the multi-value map', async () => {
    const token = await harness.oidcToken('catalog.read');
    const other = await harness.oidcToken('catalog.read catalog.write');
    const event = requestEvent({
      headers: { Authorization: `Bearer ${token}` },
      multiValueHeaders: { Authorization: [`Bearer ${token}`], authorization: [`Bearer ${other}`] },
    });

    await expectUnauthorized(harness.authorizer.authorize(event));
    expect(harness.exchange.requests).toEqual([]);
  });
});
