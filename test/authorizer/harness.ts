import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { expect } from 'vitest';
import { createAuthorizer } from '../../functions/authorizer/authorizer.js';
import type { ExchangeClient } from '../../functions/authorizer/exchange-client.js';
import { createNarrowTokenCache } from '../../functions/authorizer/narrow-token-cache.js';
import { loadDefinition } from '../../functions/shared/definition/load-definition.js';
import type { Definition, DefinitionInput } from '../../functions/shared/definition/schema.js';
import {
  shopExchange,
  shopRoutes,
  shopServices,
} from '../../functions/shared/definition/shop-definition.js';
import type {
  TokenExchangeRequest,
  TokenExchangeResponse,
} from '../../functions/shared/exchange-protocol.js';
import { createLogger } from '../../functions/shared/logging/logger.js';
import { createAccessTokenVerifier } from '../../functions/shared/tokens/access-token-verifier.js';
import { accessTokenTypeUri } from '../../functions/shared/tokens/narrow-token-profile.js';
import { signShape, tokenShape } from '../support/fixtures.js';
import {
  createTestSigner,
  jwksOf,
  memoryJwksCache,
  type TestSigner,
} from '../support/test-issuer.js';

/**
 * One authorizer over six issuers, one per dialect (Entra twice, v1 and
 * v2), each with its own key made at test time and served from memory, and
 * a fake exchange whose answers a test can change.
 */

export const gatewayAudience = 'urn:narrowgate:gateway';
export const cognitoClientId = '1example2client3id4abcdefg';
export const cognitoResourceServer = 'narrowgate-gateway';
export const methodArnPrefix = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod';

const issuers = {
  oidc: {
    name: 'oidc',
    dialect: 'oidc',
    issuer: 'https://op.example.com',
    jwksUri: 'https://op.example.com/jwks',
    algorithms: ['RS256', 'ES256'],
    tokenTypes: ['at+jwt'],
    audience: gatewayAudience,
  },
  cognito: {
    name: 'cognito',
    dialect: 'cognito',
    issuer: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_aBcDeFgHi',
    jwksUri: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_aBcDeFgHi/jwks',
    algorithms: ['RS256'],
    acceptUntypedTokens: true,
    resourceServer: cognitoResourceServer,
    clientIds: [cognitoClientId],
  },
  'entra-v1': {
    name: 'entra-v1',
    dialect: 'entra',
    issuer: 'https://sts.windows.net/11111111-1111-1111-1111-111111111111/',
    jwksUri: 'https://login.microsoftonline.com/common/keys-v1',
    algorithms: ['RS256'],
    tokenTypes: ['JWT'],
    audience: gatewayAudience,
  },
  'entra-v2': {
    name: 'entra-v2',
    dialect: 'entra',
    issuer: 'https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0',
    jwksUri: 'https://login.microsoftonline.com/common/keys-v2',
    algorithms: ['RS256'],
    tokenTypes: ['JWT'],
    audience: gatewayAudience,
  },
  auth0: {
    name: 'auth0',
    dialect: 'auth0',
    issuer: 'https://example-tenant.us.auth0.com/',
    jwksUri: 'https://example-tenant.us.auth0.com/.well-known/jwks.json',
    algorithms: ['RS256'],
    tokenTypes: ['JWT', 'at+jwt'],
    audience: gatewayAudience,
  },
  okta: {
    name: 'okta',
    dialect: 'okta',
    issuer: 'https://example.okta.com/oauth2/default',
    jwksUri: 'https://example.okta.com/oauth2/default/v1/keys',
    algorithms: ['RS256'],
    acceptUntypedTokens: true,
    audience: gatewayAudience,
  },
} as const satisfies Record<string, DefinitionInput['issuers'][number]>;

export { issuers };

export type IssuerName = keyof typeof issuers;

/** The shop, plus one pass-through route so that mode is exercised too. */
export function testDefinition(): Definition {
  return loadDefinition({
    issuers: Object.values(issuers),
    services: shopServices,
    routes: [
      ...shopRoutes.filter((route) => !(route.method === 'GET' && route.path === '/basket')),
      {
        method: 'GET',
        path: '/basket',
        scopes: ['basket.read'],
        service: 'basket',
        downstreamScopes: ['basket:read'],
        mode: 'passthrough',
      },
    ],
    // No exchange route needs basket.read any more, so the policy must not grant it.
    exchange: {
      ...shopExchange,
      grants: shopExchange.grants.filter((grant) => grant.gatewayScope !== 'basket.read'),
    },
  });
}

export interface FakeExchange {
  readonly requests: TokenExchangeRequest[];
  /** Replaces the answer; may throw or return anything. */
  answer: ((request: TokenExchangeRequest) => Promise<unknown>) | undefined;
  /** `expires_in` of granted tokens, in seconds. */
  expiresIn: number;
  readonly client: ExchangeClient;
}

/** A fake exchange: grants what it is asked, unless a test sets `answer`. */
export function createFakeExchange(): FakeExchange {
  const requests: TokenExchangeRequest[] = [];
  const fake: FakeExchange = {
    requests,
    answer: undefined,
    expiresIn: 300,
    client: {
      async exchange(request) {
        requests.push(request);
        if (fake.answer) return (await fake.answer(request)) as TokenExchangeResponse;
        return {
          access_token: `narrow-${requests.length}-${request.audience}`,
          issued_token_type: accessTokenTypeUri,
          token_type: 'Bearer',
          expires_in: fake.expiresIn,
          scope: request.scope,
        };
      },
    },
  };
  return fake;
}

export interface Harness {
  readonly signers: Record<IssuerName, TestSigner>;
  readonly definition: Definition;
  readonly exchange: FakeExchange;
  readonly fetches: string[];
  /** The JWKS documents served, by URI; set one to an Error to take it down. */
  readonly jwks: Record<string, ReturnType<typeof jwksOf> | Error>;
  readonly verifier: ReturnType<typeof createAccessTokenVerifier>;
  readonly authorizer: ReturnType<typeof createAuthorizer>;
  /** A valid OIDC access token for the gateway with `scope`, plus any overrides. */
  oidcToken(scope: string, overrides?: JWTPayload): Promise<string>;
}

/** Builds signers, an authorizer and its fakes. */
export async function createHarness(): Promise<Harness> {
  const names = Object.keys(issuers) as IssuerName[];
  const signers = Object.fromEntries(
    await Promise.all(
      names.map(async (name) => [name, await createTestSigner('RS256', `${name}-key`)] as const),
    ),
  ) as Record<IssuerName, TestSigner>;
  const jwks: Record<string, ReturnType<typeof jwksOf> | Error> = Object.fromEntries(
    names.map((name) => [issuers[name].jwksUri, jwksOf(signers[name])]),
  );
  const { cache, fetches } = memoryJwksCache(jwks);
  const definition = testDefinition();
  const exchange = createFakeExchange();
  const verifier = createAccessTokenVerifier(definition.issuers, { jwksCache: cache });
  const authorizer = createAuthorizer({
    definition,
    verifier,
    exchange: exchange.client,
    cache: createNarrowTokenCache(),
    logger: createLogger('authorizer-test'),
  });
  return {
    signers,
    definition,
    exchange,
    fetches,
    jwks,
    verifier,
    authorizer,
    oidcToken: (scope, overrides = {}) =>
      signShape(signers.oidc, tokenShape('panva-oidc-provider', 'access_token'), {
        iss: issuers.oidc.issuer,
        aud: gatewayAudience,
        scope,
        ...overrides,
      }),
  };
}

export interface EventOptions {
  readonly method?: string;
  readonly resource?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly multiValueHeaders?: Record<string, string[]>;
}

/** A REQUEST authorizer event as API Gateway sends it (fixture shape, filled in). */
export function requestEvent(options: EventOptions = {}): APIGatewayRequestAuthorizerEvent {
  const method = options.method ?? 'GET';
  const resource = options.resource ?? '/catalog/events/{eventId}';
  const path = options.path ?? resource.replace(/\{[^}]+\}/g, 'evt-42');
  const headers = options.headers ?? {};
  return {
    type: 'REQUEST',
    methodArn: `${methodArnPrefix}/${method}${path}`,
    resource,
    path,
    httpMethod: method,
    headers: { Accept: '*/*', 'User-Agent': 'vitest', ...headers },
    multiValueHeaders:
      options.multiValueHeaders ??
      Object.fromEntries(
        Object.entries({ Accept: '*/*', ...headers }).map(([name, value]) => [name, [value]]),
      ),
    pathParameters: {},
    queryStringParameters: {},
    multiValueQueryStringParameters: {},
    stageVariables: {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: {} as APIGatewayRequestAuthorizerEvent['requestContext']['identity'],
      path: `/prod${path}`,
      stage: 'prod',
      requestId: 'req-1',
      requestTimeEpoch: Date.now(),
      resourceId: '05c7jb',
      resourcePath: resource,
    },
  };
}

/** An event with `Authorization: Bearer <token>`. */
export function bearerEvent(token: string, options: EventOptions = {}) {
  return requestEvent({ ...options, headers: { Authorization: `Bearer ${token}` } });
}

/** The rejection of `promise`, which must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** Asserts the outcome the gateway turns into a 401: exactly `Error('Unauthorized')`. */
export async function expectUnauthorized(promise: Promise<unknown>): Promise<void> {
  const error = await rejectionOf(promise);
  expect(error.constructor).toBe(Error);
  expect(error.message).toBe('Unauthorized');
}

/** Asserts a 500: any error but `Unauthorized`, with the authorizer's failure code. */
export async function expectFailure(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await rejectionOf(promise);
  expect(error.message).not.toBe('Unauthorized');
  expect(error).toMatchObject({ code });
  expect(error.cause).toBeUndefined();
}
