import type { ServerResponse } from 'node:http';

/**
 * API Gateway's gateway responses: the answers the API gives itself, without
 * reaching an integration. narrowgate's stack adds `WWW-Authenticate` to
 * UNAUTHORIZED and ACCESS_DENIED (RFC 6750 §3); the rest keep their defaults.
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
  readonly message: string | null;
  readonly errorType: string;
  readonly wwwAuthenticate?: string;
}

const responses: Record<GatewayResponseType, GatewayResponse> = {
  UNAUTHORIZED: {
    status: 401,
    message: 'Unauthorized',
    errorType: 'UnauthorizedException',
    wwwAuthenticate: 'Bearer error="invalid_token"',
  },
  ACCESS_DENIED: {
    status: 403,
    message: 'User is not authorized to access this resource',
    errorType: 'AccessDeniedException',
    wwwAuthenticate: 'Bearer error="insufficient_scope"',
  },
  MISSING_AUTHENTICATION_TOKEN: {
    status: 403,
    message: 'Missing Authentication Token',
    errorType: 'MissingAuthenticationTokenException',
  },
  AUTHORIZER_FAILURE: {
    status: 500,
    message: null,
    errorType: 'AuthorizerFailureException',
  },
  AUTHORIZER_CONFIGURATION_ERROR: {
    status: 500,
    message: null,
    errorType: 'AuthorizerConfigurationException',
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
  if (spec.wwwAuthenticate) headers['WWW-Authenticate'] = spec.wwwAuthenticate;
  response.writeHead(spec.status, headers);
  response.end(JSON.stringify({ message: message ?? spec.message }));
}
