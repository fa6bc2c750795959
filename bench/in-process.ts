import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createInProcessGateway } from '../local/in-process-gateway.js';
import type { BenchIssuer } from './keys.js';

/** The exchange's issuer URL in the benchmarks, as a deployed stage would have it. */
export const benchNarrowIssuer = 'https://bench.execute-api.eu-west-1.amazonaws.com/prod';

/**
 * The authorizer and the exchange wired in process, exactly as the local
 * stack wires them: each function's own factory, only the Invoke swapped.
 */
export async function buildInProcessGateway(issuer: BenchIssuer) {
  const gateway = await createInProcessGateway({
    issuers: [issuer.config],
    narrowTokenIssuer: benchNarrowIssuer,
  });
  await gateway.verifier.hydrate();
  return gateway;
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
