import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCatalogService } from '../../functions/catalog/catalog-service.js';
import type { DefinitionInput } from '../../functions/shared/definition/schema.js';
import { passThroughIssuers } from '../../functions/shared/service/pass-through-verifier.js';
import type { ProxyHandler } from '../../functions/shared/service/service-handler.js';
import { httpsIssuer } from '../support/definitions.js';
import { nowSeconds } from '../support/test-issuer.js';
import { type DynaliteHandle, startDynalite } from './dynalite-server.js';
import { proxyEvent } from './proxy-event.js';
import {
  captureLogs,
  catalogAudience,
  createKeys,
  exchangeIssuer,
  exchangeJwksUri,
  frozenNow,
  jwksCacheFor,
  type Keys,
  shopDefinition,
  signClientToken,
  signNarrowToken,
} from './service-fixture.js';

const cognitoIssuer = {
  name: 'pool',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test',
  jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test/.well-known/jwks.json',
  dialect: 'cognito',
  algorithms: ['ES256'],
  acceptUntypedTokens: true,
  resourceServer: 'https://api.narrowgate.test',
  clientIds: ['shopwebclient'],
} as const satisfies DefinitionInput['issuers'][number];

/** The shop with the catalog's reads in pass-through mode, and a Cognito issuer too. */
function passThroughReads(input: DefinitionInput): void {
  input.issuers = [httpsIssuer, cognitoIssuer];
  input.routes = input.routes.map((route) =>
    route.service === 'catalog' && route.method === 'GET'
      ? { ...route, mode: 'passthrough' }
      : route,
  );
  // No exchange route asks for catalog:read any more, so no grant may give it.
  input.exchange.grants = input.exchange.grants.filter(
    (grant) => grant.gatewayScope !== 'catalog.read',
  );
}

describe('catalog on a pass-through route', () => {
  let dynamo: DynaliteHandle;
  let keys: Keys;
  let handler: ProxyHandler;

  beforeAll(async () => {
    dynamo = await startDynalite();
    await dynamo.createTable('catalog');
    keys = await createKeys();
  });

  afterAll(async () => {
    await dynamo.close();
  });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(frozenNow);
    captureLogs();
    handler = createCatalogService({
      tableName: 'catalog',
      documentClient: dynamo.documentClient,
      definition: shopDefinition(passThroughReads),
      narrowToken: { issuer: exchangeIssuer, jwksUri: exchangeJwksUri },
      jwksCache: jwksCacheFor(keys).cache,
    });
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  const list = (input: { authorization?: string; downstreamToken?: string }) =>
    handler(proxyEvent({ method: 'GET', resource: '/catalog/events', ...input }));

  it("accepts a client token naming the catalog's audience, with the gateway scope", async () => {
    const token = await signClientToken(keys, 'catalog.read', { aud: catalogAudience });

    const result = await list({ authorization: `Bearer ${token}` });

    expect(result.statusCode).toBe(200);
  });

  it("refuses a client token made for the gateway's audience", async () => {
    const token = await signClientToken(keys, 'catalog.read');

    const result = await list({ authorization: `Bearer ${token}` });

    expect(result.statusCode).toBe(401);
  });

  it('refuses a token without the route gateway scope with 403 naming it', async () => {
    const token = await signClientToken(keys, 'basket.read', { aud: catalogAudience });

    const result = await list({ authorization: `Bearer ${token}` });

    expect(result.statusCode).toBe(403);
    expect(result.headers?.['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", scope="catalog.read"',
    );
  });

  it('reads only the Authorization header: a narrow token in the context is ignored', async () => {
    const narrow = await signNarrowToken(keys, {
      audience: catalogAudience,
      scope: 'catalog:read',
    });

    const result = await list({ downstreamToken: narrow });

    expect(result.statusCode).toBe(401);
  });

  it('fails closed on a Cognito access token: it names no audience', async () => {
    const iat = nowSeconds();
    const token = await keys.idp.sign({
      iss: cognitoIssuer.issuer,
      sub: 'user-1',
      client_id: 'shopwebclient',
      token_use: 'access',
      scope: 'https://api.narrowgate.test/catalog.read',
      iat,
      exp: iat + 300,
    });
    const send = vi.spyOn(dynamo.documentClient, 'send');

    const result = await list({ authorization: `Bearer ${token}` });

    expect(result.statusCode).toBe(401);
    expect(send).not.toHaveBeenCalled();
  });

  it('keeps exchange routes on narrow tokens', async () => {
    const narrow = await signNarrowToken(keys, {
      audience: catalogAudience,
      scope: 'catalog:write',
    });

    const result = await handler(
      proxyEvent({
        method: 'DELETE',
        resource: '/catalog/events/{eventId}',
        pathParameters: { eventId: 'evt-x' },
        downstreamToken: narrow,
      }),
    );

    expect(result.statusCode).toBe(404);
  });

  it('builds pass-through issuers with the service audience and without Cognito', () => {
    const definition = shopDefinition(passThroughReads);
    const catalog = definition.services.find((service) => service.name === 'catalog');

    const issuers = passThroughIssuers(definition.issuers, catalog!);

    expect(issuers).toHaveLength(1);
    expect(issuers[0]).toMatchObject({ issuer: httpsIssuer.issuer, audience: catalogAudience });
  });
});
