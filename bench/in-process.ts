import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createAuthorizer } from '../functions/authorizer/authorizer.js';
import { createExchange } from '../functions/exchange/exchange.js';
import { createMemoryKeySource } from '../functions/exchange/memory-key-source.js';
import { loadDefinition } from '../functions/shared/definition/load-definition.js';
import type { Definition } from '../functions/shared/definition/schema.js';
import {
  shopExchange,
  shopRoutes,
  shopServices,
} from '../functions/shared/definition/shop-definition.js';
import { createAccessTokenVerifier } from '../functions/shared/tokens/access-token-verifier.js';
import { createInProcessExchangeClient } from '../local/in-process-exchange-client.js';
import type { BenchIssuer } from './keys.js';

/** The exchange's issuer URL in the benchmarks, as a deployed stage would have it. */
export const benchNarrowIssuer = 'https://bench.execute-api.eu-west-1.amazonaws.com/prod';

/**
 * The authorizer and the exchange wired in process, exactly as the local
 * stack wires them: each function's own factory, only the Invoke swapped.
 */
export async function buildInProcessGateway(issuer: BenchIssuer) {
  const definition: Definition = loadDefinition(
    {
      issuers: [issuer.config],
      services: shopServices,
      routes: shopRoutes,
      exchange: shopExchange,
    },
    { allowHttp: true },
  );
  const keys = await createMemoryKeySource();
  const exchange = createExchange({
    definition,
    verifier: createAccessTokenVerifier(definition.issuers, { allowHttp: true }),
    keys,
    issuer: benchNarrowIssuer,
  });
  const verifier = createAccessTokenVerifier(definition.issuers, { allowHttp: true });
  await verifier.hydrate();
  const authorizer = createAuthorizer({
    definition,
    verifier,
    exchange: createInProcessExchangeClient(exchange),
  });
  return { definition, keys, exchange, verifier, authorizer };
}

/** A REQUEST authorizer event for `GET /basket`, in the shape API Gateway sends. */
export function basketAuthorizerEvent(token: string): APIGatewayRequestAuthorizerEvent {
  const requestContext = {
    accountId: '123456789012',
    apiId: 'bench',
    stage: 'prod',
    httpMethod: 'GET',
    resourcePath: '/basket',
    path: '/prod/basket',
    requestId: 'bench-request',
    resourceId: 'abc123',
    identity: { sourceIp: '127.0.0.1' },
  };
  return {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:bench/prod/GET/basket',
    resource: '/basket',
    path: '/basket',
    httpMethod: 'GET',
    headers: { Authorization: `Bearer ${token}` },
    multiValueHeaders: { Authorization: [`Bearer ${token}`] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext,
  } as unknown as APIGatewayRequestAuthorizerEvent;
}
