import type { APIGatewayProxyResult } from 'aws-lambda';

/**
 * Proxy results the services answer with. Every body is JSON; every error
 * body holds an OAuth-style `error` code and the request id, and nothing
 * else that could come from inside the function.
 */

const baseHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/** A JSON response with `status`, echoing the request id in `x-request-id`. */
export function jsonResponse(
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { ...baseHeaders, 'x-request-id': requestId, ...headers },
    body: JSON.stringify(body),
  };
}

/** 204: the operation succeeded and there is nothing to say. */
export function noContentResponse(requestId: string): APIGatewayProxyResult {
  return {
    statusCode: 204,
    headers: { 'cache-control': 'no-store', 'x-request-id': requestId },
    body: '',
  };
}

/**
 * An error response: `{"error": code, "requestId", ...details}`. `details`
 * must hold only what the caller sent or may know (failing field paths,
 * scope names), never error messages from libraries.
 */
export function errorResponse(
  status: number,
  code: string,
  requestId: string,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return jsonResponse(status, { error: code, requestId, ...details }, requestId, headers);
}

/** 401 with RFC 6750's challenge. One answer for every token refusal. */
export function invalidTokenResponse(requestId: string): APIGatewayProxyResult {
  return errorResponse(
    401,
    'invalid_token',
    requestId,
    {},
    {
      'www-authenticate': 'Bearer error="invalid_token"',
    },
  );
}

/** 403 naming the scopes the operation needs (scope names are not secret). */
export function insufficientScopeResponse(
  requestId: string,
  requiredScopes: readonly string[],
): APIGatewayProxyResult {
  const scope = requiredScopes.join(' ');
  return errorResponse(
    403,
    'insufficient_scope',
    requestId,
    {},
    {
      'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"`,
    },
  );
}

/** 500 that says nothing about why: the reason goes to the log under the request id. */
export function internalErrorResponse(requestId: string): APIGatewayProxyResult {
  return errorResponse(500, 'internal_error', requestId);
}
