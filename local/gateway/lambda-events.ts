import { randomUUID } from 'node:crypto';
import type {
  APIGatewayEventRequestContextWithAuthorizer,
  APIGatewayProxyEvent,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import { lastValues, type RequestParts } from '../http/request-parts.js';
import { type ApiIdentity, buildMethodArn } from './execute-api-arn.js';

/**
 * The two events API Gateway (REST, v1) sends to Lambda for one request: the
 * REQUEST authorizer event and the Lambda proxy event. Both are built from
 * the same request and share one requestContext, as on AWS.
 */

/** One request after routing: the route template and its decoded path parameters. */
export interface DispatchedRequest {
  readonly parts: RequestParts;
  /** The route template API Gateway dispatched to, e.g. `/catalog/events/{eventId}`. */
  readonly resource: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly requestId: string;
  readonly requestTimeEpoch: number;
}

/** Stamps a request with its id and time, as API Gateway does on arrival. */
export function dispatch(
  parts: RequestParts,
  resource: string,
  pathParameters: Readonly<Record<string, string>>,
  now: () => number = () => Date.now(),
): DispatchedRequest {
  return { parts, resource, pathParameters, requestId: randomUUID(), requestTimeEpoch: now() };
}

export function buildAuthorizerEvent(
  api: ApiIdentity,
  request: DispatchedRequest,
): APIGatewayRequestAuthorizerEvent {
  const { parts } = request;
  return {
    type: 'REQUEST',
    methodArn: buildMethodArn(api, parts.method, parts.rawPath),
    resource: request.resource,
    path: parts.rawPath,
    httpMethod: parts.method,
    headers: lastValues(parts.multiValueHeaders),
    multiValueHeaders: nullWhenEmpty(parts.multiValueHeaders),
    queryStringParameters: lastValues(parts.multiValueQuery),
    multiValueQueryStringParameters: nullWhenEmpty(parts.multiValueQuery),
    pathParameters: nullWhenEmpty(request.pathParameters),
    stageVariables: null,
    requestContext: buildRequestContext(api, request, undefined),
  };
}

/**
 * The proxy event for the integration. `authorizer` is the authorizer's
 * context as API Gateway passes it on: every value a string, plus
 * `principalId`; null for routes without an authorizer.
 */
export function buildProxyEvent(
  api: ApiIdentity,
  request: DispatchedRequest,
  authorizer: Record<string, unknown> | null,
): APIGatewayProxyEvent {
  const { parts } = request;
  return {
    resource: request.resource,
    path: parts.rawPath,
    httpMethod: parts.method,
    headers: lastValues(parts.multiValueHeaders) ?? {},
    multiValueHeaders: parts.multiValueHeaders as Record<string, string[]>,
    queryStringParameters: lastValues(parts.multiValueQuery),
    multiValueQueryStringParameters: nullWhenEmpty(parts.multiValueQuery),
    pathParameters: nullWhenEmpty(request.pathParameters),
    stageVariables: null,
    requestContext: buildRequestContext(api, request, authorizer ?? undefined),
    body: parts.body,
    // Text bodies only: no binary media types are configured on the API.
    isBase64Encoded: false,
  };
}

function buildRequestContext<T>(
  api: ApiIdentity,
  request: DispatchedRequest,
  authorizer: T,
): APIGatewayEventRequestContextWithAuthorizer<T> {
  const { parts } = request;
  const userAgent = lastValues(parts.multiValueHeaders)?.['User-Agent'] ?? null;
  return {
    accountId: api.accountId,
    apiId: api.apiId,
    authorizer,
    domainName: `${api.apiId}.execute-api.localhost`,
    domainPrefix: api.apiId,
    extendedRequestId: request.requestId,
    httpMethod: parts.method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: parts.sourceIp,
      user: null,
      userAgent,
      userArn: null,
    },
    path: `/${api.stage}${parts.rawPath}`,
    protocol: 'HTTP/1.1',
    requestId: request.requestId,
    requestTime: formatRequestTime(request.requestTimeEpoch),
    requestTimeEpoch: request.requestTimeEpoch,
    resourceId: resourceIdOf(request.resource),
    resourcePath: request.resource,
    stage: api.stage,
  };
}

// English month abbreviations, as API Gateway writes them whatever the locale;
// a table rather than toLocaleString, which costs ICU work on every request.
const monthNames = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/** API Gateway's `requestTime` format: `09/Apr/2015:12:34:56 +0000`. */
function formatRequestTime(epoch: number): string {
  const date = new Date(epoch);
  const month = monthNames[date.getUTCMonth()];
  const pad = (value: number) => String(value).padStart(2, '0');
  const day = pad(date.getUTCDate());
  const time = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(pad);
  return `${day}/${month}/${date.getUTCFullYear()}:${time.join(':')} +0000`;
}

/** A stable six-character id per resource, like the ids of API Gateway's resource tree. */
function resourceIdOf(resource: string): string {
  let hash = 0;
  for (const char of resource) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash.toString(36).padStart(6, '0').slice(-6);
}

function nullWhenEmpty<T extends object>(value: T): T | null {
  return Object.keys(value).length === 0 ? null : value;
}
