import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCatalogService } from '../../functions/catalog/catalog-service.js';
import { DefinitionError } from '../../functions/shared/definition/load-definition.js';
import { httpsIssuer } from '../support/definitions.js';
import { proxyEvent } from './proxy-event.js';
import {
  captureLogs,
  createKeys,
  exchangeIssuer,
  exchangeJwksUri,
  jwksCacheFor,
  shopDefinition,
} from './service-fixture.js';

const narrowToken = { issuer: exchangeIssuer, jwksUri: exchangeJwksUri };

describe('service configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
    vi.restoreAllMocks();
  });

  it('refuses to start when an exchange route does not grant the scope its operation needs', () => {
    const definition = shopDefinition();
    const post = definition.routes.find(
      (route) => route.method === 'POST' && route.path === '/catalog/events',
    );
    // A definition that would let a read token create events.
    Object.assign(post!, { downstreamScopes: ['catalog:read'] });

    expect(() =>
      createCatalogService({
        tableName: 't',
        documentClient: {} as never,
        definition,
        narrowToken,
      }),
    ).toThrow(DefinitionError);
  });

  it('refuses to start when a route of the service has no operation', () => {
    const definition = shopDefinition();
    definition.routes.push({ ...definition.routes[0]!, path: '/catalog/venues' });

    expect(() =>
      createCatalogService({
        tableName: 't',
        documentClient: {} as never,
        definition,
        narrowToken,
      }),
    ).toThrow(/no operation of "catalog" serves this route/);
  });

  it('wires each handler module from its environment', async () => {
    vi.stubEnv('TABLE_NAME', 'shop-table');
    vi.stubEnv('NARROW_TOKEN_ISSUER', exchangeIssuer);
    vi.stubEnv('NARROW_TOKEN_JWKS_URI', exchangeJwksUri);
    vi.stubEnv('NARROWGATE_ISSUERS', JSON.stringify([httpsIssuer]));
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    captureLogs();

    for (const [module, resource] of [
      ['../../functions/catalog/handler.js', '/catalog/events'],
      ['../../functions/basket/handler.js', '/basket'],
    ] as const) {
      const { handler } = await import(module);

      const result = await handler(proxyEvent({ method: 'GET', resource }));

      expect(result.statusCode).toBe(401);
    }
  });

  it('fails at load when the environment lacks a variable, naming it', async () => {
    vi.stubEnv('TABLE_NAME', '');
    vi.stubEnv('NARROWGATE_ISSUERS', JSON.stringify([httpsIssuer]));

    // Modules are re-imported, so the error is compared by its code, not its class.
    for (const module of [
      '../../functions/catalog/handler.js',
      '../../functions/basket/handler.js',
    ]) {
      await expect(import(module)).rejects.toMatchObject({
        code: 'environment_invalid',
        variable: 'TABLE_NAME',
      });
    }
  });

  it("prefetches the exchange's keys on request, once", async () => {
    const keys = await createKeys();
    const jwks = jwksCacheFor(keys);
    const handler = createCatalogService({
      tableName: 't',
      documentClient: {} as never,
      definition: shopDefinition(),
      narrowToken,
      jwksCache: jwks.cache,
    });

    await handler.prefetchKeys();

    expect(jwks.fetches).toEqual([exchangeJwksUri]);
  });

  it('refuses an http JWKS outside local mode at the first request, with 500', async () => {
    captureLogs();
    const handler = createCatalogService({
      tableName: 't',
      documentClient: {} as never,
      definition: shopDefinition(),
      narrowToken: { issuer: exchangeIssuer, jwksUri: 'http://127.0.0.1:9/jwks' },
    });
    // Any well-formed ES256 token will do: its key is never fetched.
    const token =
      'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImsifQ.' +
      Buffer.from(
        JSON.stringify({ iss: exchangeIssuer, aud: 'urn:narrowgate:service:catalog' }),
      ).toString('base64url') +
      '.c2ln';

    const result = await handler(
      proxyEvent({ method: 'GET', resource: '/catalog/events', downstreamToken: token }),
    );

    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toEqual({
      error: 'internal_error',
      requestId: expect.any(String),
    });
  });
});
