import type { ServerResponse } from 'node:http';

/**
 * API Gateway's gateway responses: the answers the API gives itself, without
 * reaching an integration. As the stack configures them (`infra/gateway-api.ts`):
 * UNAUTHORIZED and ACCESS_DENIED carry `WWW-Authenticate` (RFC 6750 §3) and the
 * OAuth `error` code; authorizer faults a plain 500 `server_error`; all three
 * `Cache-Control: no-store`. The rest keep API Gateway's defaults.
 */
export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'AUTHORIZER_FAILURE'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'INTEGRATION_FAILURE'
  | 'REQUEST_TOO_LARGE';

interface GatewayResponse {
  readonly status: number;
  readonly message: string;
  readonly errorType: string;
  /** The OAuth error code the stack's template adds to the body. */
  readonly error?: 'invalid_token' | 'insufficient_scope' | 'server_error';
}

const responses: Record<GatewayResponseType, GatewayResponse> = {
  UNAUTHORIZED: {
    status: 401,
    message: 'Unauthorized',
    errorType: 'UnauthorizedException',
    error: 'invalid_token',
  },
  ACCESS_DENIED: {
    status: 403,
    message: 'User is not authorized to access this resource',
    errorType: 'AccessDeniedException',
    error: 'insufficient_scope',
  },
  MISSING_AUTHENTICATION_TOKEN: {
    status: 403,
    message: 'Missing Authentication Token',
    errorType: 'MissingAuthenticationTokenException',
  },
  AUTHORIZER_FAILURE: {
    status: 500,
    message: 'Internal server error',
    errorType: 'AuthorizerFailureException',
    error: 'server_error',
  },
  AUTHORIZER_CONFIGURATION_ERROR: {
    status: 500,
    message: 'Internal server error',
    errorType: 'AuthorizerConfigurationException',
    error: 'server_error',
  },
  INTEGRATION_FAILURE: {
    status: 502,
    message: 'Internal server error',
    errorType: 'InternalServerErrorException',
  },
  REQUEST_TOO_LARGE: {
    status: 413,
    message: 'Request Too Long',
    errorType: 'RequestTooLargeException',
  },
};

/** Writes one gateway response, JSON-bodied like API Gateway's defaults. */
export function sendGatewayResponse(
  response: ServerResponse,
  type: GatewayResponseType,
  requestId: string,
  /** Replaces the default message, as API Gateway does for an explicit Deny. */
  message?: string,
): void {
  const spec = responses[type];
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': spec.errorType,
  };
  if (spec.error) headers['Cache-Control'] = 'no-store';
  if (spec.error && spec.error !== 'server_error') {
    headers['WWW-Authenticate'] = `Bearer error="${spec.error}"`;
  }
  response.writeHead(spec.status, headers);
  const body = { message: message ?? spec.message, ...(spec.error ? { error: spec.error } : {}) };
  response.end(JSON.stringify(body));
}
