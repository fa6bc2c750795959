import type { JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthorizer } from '../../functions/authorizer/authorizer.js';
import type { ExchangeClient } from '../../functions/authorizer/exchange-client.js';
import { createBasketService } from '../../functions/basket/basket-service.js';
import { createExchange } from '../../functions/exchange/exchange.js';
import { createMemoryKeySource } from '../../functions/exchange/memory-key-source.js';
import { loadDefinition } from '../../functions/shared/definition/load-definition.js';
import type { Definition, DefinitionInput } from '../../functions/shared/definition/schema.js';
import { shopGatewayAudience } from '../../functions/shared/definition/shop-definition.js';
import type { TokenExchangeResponse } from '../../functions/shared/exchange-protocol.js';
import { createLogger } from '../../functions/shared/logging/logger.js';
import type { ProxyHandler } from '../../functions/shared/service/service-handler.js';
import { createAccessTokenVerifier } from '../../functions/shared/tokens/access-token-verifier.js';
import { bearerEvent } from '../authorizer/harness.js';
import { type DynaliteHandle, startDynalite } from '../services/dynalite-server.js';
import { proxyEvent } from '../services/proxy-event.js';
import { captureLogs } from '../services/service-fixture.js';
import { httpsIssuer, validShopDefinition } from '../support/definitions.js';
import {
  createTestSigner,
  jwksOf,
  memoryJwksCache,
  nowSeconds,
  type TestSigner,
} from '../support/test-issuer.js';

/**
 * Two configured issuers may hand out the same `sub` (a client id, for
 * client-credentials tokens). A `sub` names someone only together with its
 * issuer, so each gets a basket of its own: end to end, through the
 * authorizer, the exchange's narrow token (`sub_id`) and the basket, and on
 * a pass-through route from the client token's own issuer.
 */

const issuerA = {
  ...httpsIssuer,
  name: 'idp-a',
  issuer: 'https://a.idp.test',
  jwksUri: 'https://a.idp.test/jwks',
} as const satisfies DefinitionInput['issuers'][number];
const issuerB = {
  ...httpsIssuer,
  name: 'idp-b',
  issuer: 'https://b.idp.test',
  jwksUri: 'https://b.idp.test/jwks',
} as const satisfies DefinitionInput['issuers'][number];

const exchangeIssuer = 'https://exchange.narrowgate.test';
const exchangeJwksUri = `${exchangeIssuer}/.well-known/jwks.json`;
const basketAudience = 'urn:narrowgate:service:basket';
/** The one subject both issuers hand out, as a client-credentials `sub` often is. */
const sharedSubject = 'shop-batch';
const line = '/basket/lines/{eventId}';

/** The shop over both issuers; `change` may alter it further. */
function twoIssuerDefinition(change?: (input: DefinitionInput) => void): Definition {
  const input = validShopDefinition();
  input.issuers = [issuerA, issuerB];
  change?.(input);
  return loadDefinition(input);
}

/** `GET /basket` in pass-through mode, so the basket reads the client's own token. */
function passThroughBasketRead(input: DefinitionInput): void {
  input.routes = input.routes.map((route) =>
    route.method === 'GET' && route.path === '/basket' ? { ...route, mode: 'passthrough' } : route,
  );
  // No exchange route asks for basket:read any more, so no grant may give it.
  input.exchange.grants = input.exchange.grants.filter(
    (grant) => grant.gatewayScope !== 'basket.read',
  );
}

interface Gateway {
  /** Sends a request as API Gateway would: the authorizer, then the basket with its context. */
  send(request: { method: string; eventId?: string; token: string; body?: unknown }): Promise<{
    statusCode: number;
    body: string;
  }>;
}

describe('the same sub from two issuers', () => {
  let dynamo: DynaliteHandle;
  let signers: Record<'a' | 'b', TestSigner>;
  let tables = 0;

  beforeAll(async () => {
    dynamo = await startDynalite();
    signers = {
      a: await createTestSigner('ES256', 'idp-a-1'),
      b: await createTestSigner('ES256', 'idp-b-1'),
    };
  });

  afterAll(async () => {
    await dynamo.close();
  });

  beforeEach(() => {
    captureLogs();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** The authorizer, the exchange and the basket over `definition`, on a fresh table. */
  async function gatewayFor(definition: Definition): Promise<Gateway> {
    const clientJwks = {
      [issuerA.jwksUri]: jwksOf(signers.a),
      [issuerB.jwksUri]: jwksOf(signers.b),
    };
    const keys = await createMemoryKeySource();
    const exchange = createExchange({
      definition,
      verifier: createAccessTokenVerifier(definition.issuers, {
        jwksCache: memoryJwksCache(clientJwks).cache,
      }),
      keys,
      issuer: exchangeIssuer,
    });
    const client: ExchangeClient = {
      exchange: async (request) => (await exchange.exchange(request)) as TokenExchangeResponse,
    };
    const authorizer = createAuthorizer({
      definition,
      verifier: createAccessTokenVerifier(definition.issuers, {
        jwksCache: memoryJwksCache(clientJwks).cache,
      }),
      exchange: client,
      logger: createLogger('authorizer-test'),
    });
    const tableName = `subject-issuer-${++tables}`;
    await dynamo.createTable(tableName);
    const basket: ProxyHandler = createBasketService({
      tableName,
      documentClient: dynamo.documentClient,
      definition,
      narrowToken: { issuer: exchangeIssuer, jwksUri: exchangeJwksUri },
      jwksCache: memoryJwksCache({
        ...clientJwks,
        [exchangeJwksUri]: { keys: [...(await keys.publicKeys())] },
      }).cache,
    });

    return {
      async send({ method, eventId, token, body }) {
        const resource = eventId === undefined ? '/basket' : line;
        const path = eventId === undefined ? '/basket' : `/basket/lines/${eventId}`;
        const allowed = await authorizer.authorize(bearerEvent(token, { method, resource, path }));
        const [statement] = (allowed.policyDocument.Statement ?? []) as { Effect?: string }[];
        expect(statement?.Effect).toBe('Allow');
        const downstream = allowed.context?.downstreamToken;
        const event = proxyEvent({
          method,
          resource,
          pathParameters: eventId === undefined ? undefined : { eventId },
          body,
          ...(typeof downstream === 'string'
            ? { downstreamToken: downstream }
            : { authorization: `Bearer ${token}` }),
        });
        return (await basket(event)) as { statusCode: number; body: string };
      },
    };
  }

  /** A client token of `issuer` for `sharedSubject`, signed by its key. */
  function clientToken(
    issuer: typeof issuerA | typeof issuerB,
    signer: TestSigner,
    claims: JWTPayload = {},
  ): Promise<string> {
    const iat = nowSeconds();
    return signer.sign(
      {
        iss: issuer.issuer,
        aud: shopGatewayAudience,
        sub: sharedSubject,
        client_id: sharedSubject,
        scope: 'basket.read basket.write',
        iat,
        exp: iat + 300,
        jti: crypto.randomUUID(),
        ...claims,
      },
      { typ: 'at+jwt' },
    );
  }

  it('get two baskets through the exchange: a line put by one is not in the other', async () => {
    // Prepare
    const gateway = await gatewayFor(twoIssuerDefinition());
    const fromA = await clientToken(issuerA, signers.a);
    const fromB = await clientToken(issuerB, signers.b);

    // Act
    const put = await gateway.send({
      method: 'PUT',
      eventId: 'evt-harbour-jazz',
      token: fromA,
      body: { quantity: 2 },
    });
    const basketOfB = await gateway.send({ method: 'GET', token: fromB });
    const basketOfA = await gateway.send({ method: 'GET', token: fromA });

    // Assess
    expect(put.statusCode).toBe(201);
    expect(basketOfB.statusCode).toBe(200);
    expect(JSON.parse(basketOfB.body)).toEqual({ lines: [] });
    expect(basketOfA.statusCode).toBe(200);
    expect(JSON.parse(basketOfA.body).lines).toEqual([
      expect.objectContaining({ eventId: 'evt-harbour-jazz', quantity: 2 }),
    ]);
  });

  it('get two baskets on a pass-through route, which agrees with the exchange route', async () => {
    // Prepare: writes go through the exchange; reads carry the client token itself, so it
    // names the basket as well as the gateway that checks it first.
    const gateway = await gatewayFor(twoIssuerDefinition(passThroughBasketRead));
    const both = [shopGatewayAudience, basketAudience];
    const writeA = await clientToken(issuerA, signers.a);
    const readA = await clientToken(issuerA, signers.a, { aud: both });
    const readB = await clientToken(issuerB, signers.b, { aud: both });

    // Act
    const put = await gateway.send({
      method: 'PUT',
      eventId: 'evt-harbour-jazz',
      token: writeA,
      body: { quantity: 3 },
    });
    const basketOfB = await gateway.send({ method: 'GET', token: readB });
    const basketOfA = await gateway.send({ method: 'GET', token: readA });

    // Assess: B's basket is empty; A finds its line by either path.
    expect(put.statusCode).toBe(201);
    expect(basketOfB.statusCode).toBe(200);
    expect(JSON.parse(basketOfB.body)).toEqual({ lines: [] });
    expect(basketOfA.statusCode).toBe(200);
    expect(JSON.parse(basketOfA.body).lines).toEqual([
      expect.objectContaining({ eventId: 'evt-harbour-jazz', quantity: 3 }),
    ]);
  });
});
