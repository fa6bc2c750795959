import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface ProxyEventInput {
  readonly method: string;
  /** The route template API Gateway dispatched to, e.g. `/catalog/events/{eventId}`. */
  readonly resource: string;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** A value, or a JSON-serialisable object. */
  readonly body?: unknown;
  /** `requestContext.authorizer.downstreamToken`, as the authorizer leaves it. */
  readonly downstreamToken?: string;
  /** The whole Authorization header value, e.g. `Bearer …`. */
  readonly authorization?: string;
  readonly requestId?: string;
}

/**
 * A REST API (v1) Lambda proxy event with the fields of
 * `sam local generate-event apigateway aws-proxy`, filled for one request.
 */
export function proxyEvent(input: ProxyEventInput): APIGatewayProxyEvent {
  const path = Object.entries(input.pathParameters ?? {}).reduce(
    (text, [name, value]) => text.replace(`{${name}}`, encodeURIComponent(value)),
    input.resource,
  );
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Content-Type': 'application/json',
    Host: '1234567890.execute-api.us-east-1.amazonaws.com',
    'User-Agent': 'narrowgate-tests',
    'X-Forwarded-Proto': 'https',
  };
  if (input.authorization !== undefined) headers.Authorization = input.authorization;
  const query = input.query ?? null;
  const requestId = input.requestId ?? 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';

  return {
    body:
      input.body === undefined
        ? null
        : typeof input.body === 'string'
          ? input.body
          : JSON.stringify(input.body),
    resource: input.resource,
    path,
    httpMethod: input.method,
    isBase64Encoded: false,
    queryStringParameters: query,
    multiValueQueryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]]))
      : null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    headers,
    multiValueHeaders: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, [value]]),
    ),
    requestContext: {
      accountId: '123456789012',
      resourceId: '123456',
      stage: 'prod',
      requestId,
      requestTimeEpoch: Date.now(),
      identity: {
        sourceIp: '127.0.0.1',
        userAgent: 'narrowgate-tests',
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/prod${path}`,
      resourcePath: input.resource,
      httpMethod: input.method,
      apiId: '1234567890',
      protocol: 'HTTP/1.1',
      authorizer:
        input.downstreamToken === undefined
          ? null
          : { downstreamToken: input.downstreamToken, principalId: 'user-1' },
    },
  } as APIGatewayProxyEvent;
}
