import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DefinitionError } from '../definition/load-definition.js';
import type { Definition, HttpMethod, RouteConfig } from '../definition/schema.js';
import { DependencyError, InsufficientScopeError, InvalidTokenError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { findRouteByTemplate } from '../routes/match-route.js';
import { createNarrowTokenVerifier } from '../tokens/narrow-token-verifier.js';
import {
  createRequestAuthenticator,
  requiredScopesFor,
  type ServiceCaller,
} from './authenticate-request.js';
import { createPassThroughVerifier } from './pass-through-verifier.js';
import { MethodNotAllowedError, NotFoundError, RequestError } from './request-errors.js';
import { readRequestId } from './request-id.js';
import {
  errorResponse,
  insufficientScopeResponse,
  internalErrorResponse,
  invalidTokenResponse,
  jsonResponse,
  noContentResponse,
} from './responses.js';

/** What an operation hands back; the service handler writes the response. */
export type OperationResult =
  | {
      readonly status: 200 | 201;
      readonly body: unknown;
      readonly headers?: Record<string, string>;
    }
  | { readonly status: 204 };

/** One authenticated request, as an operation sees it. */
export interface ServiceRequest {
  readonly event: APIGatewayProxyEvent;
  readonly requestId: string;
  readonly caller: ServiceCaller;
  /** `event.pathParameters`, never null. Values are unchecked: validate them. */
  readonly pathParameters: Readonly<Record<string, string | undefined>>;
}

/** One thing a service does, on one route of the definition. */
export interface Operation {
  readonly method: HttpMethod;
  /** The route template, exactly as the definition writes it. */
  readonly path: string;
  /** The service scope this operation needs, e.g. `catalog:write`. */
  readonly scope: string;
  run(request: ServiceRequest): Promise<OperationResult>;
}

/** A Lambda proxy handler: one event in, one result out, never a throw. */
export type ProxyHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** A service's proxy handler, which can also fetch its keys ahead of the first request. */
export type ServiceHandler = ProxyHandler & {
  /**
   * Fetches the exchange's JWKS now, so that cold start pays for it before
   * the first request rather than during it. Rejects with a
   * `DependencyError` when the keys cannot be fetched; requests then retry.
   */
  prefetchKeys(): Promise<void>;
};

/** Where the service's narrow tokens come from. */
export interface NarrowTokenSource {
  /** The exchange's issuer URL (`NARROW_TOKEN_ISSUER`). */
  readonly issuer: string;
  /** The exchange's JWKS URL (`NARROW_TOKEN_JWKS_URI`). */
  readonly jwksUri: string;
}

export interface ServiceHandlerOptions {
  /** The service's name in the definition, e.g. `catalog`. */
  readonly serviceName: string;
  /** The validated definition: this service's audience and routes come from it. */
  readonly definition: Definition;
  readonly narrowToken: NarrowTokenSource;
  readonly operations: readonly Operation[];
  readonly logger: Logger;
  /** One JWKS cache for both verifiers; tests hand keys in through it. */
  readonly jwksCache?: JwksCache;
  /** Allow http JWKS URIs (local stack only). @default false */
  readonly allowHttp?: boolean;
}

/**
 * The request pipeline both services share, in this order:
 * 1. the route, from `httpMethod` + `resource` (404 or 405 when none);
 * 2. the route's one token, verified for this service and this operation's
 *    scope (401, 403), before anything reads the body or the table;
 * 3. the operation, whose refusals become 400/404/409;
 * anything else is a 500 whose body says nothing and whose log line names
 * the error code. Every response and log line carries the request id.
 *
 * Throws a `DefinitionError` at creation when the definition names a route
 * of this service that no operation serves, or an exchange route whose
 * downstream scopes lack the operation's scope: such a deployment could
 * only ever answer 403 or 404, so it must not start.
 */
export function createServiceHandler(options: ServiceHandlerOptions): ServiceHandler {
  const { definition, serviceName, logger } = options;
  const service = definition.services.find((candidate) => candidate.name === serviceName);
  if (!service) {
    throw new DefinitionError([{ path: 'services', reason: `has no service "${serviceName}"` }]);
  }
  const routes = definition.routes.filter((route) => route.service === serviceName);
  const operationOf = bindOperations(routes, options.operations, definition);

  // Verifiers: the service's own audience, from the definition.
  const verifierOptions = { jwksCache: options.jwksCache, allowHttp: options.allowHttp };
  const narrowTokenVerifier = createNarrowTokenVerifier({
    issuer: options.narrowToken.issuer,
    jwksUri: options.narrowToken.jwksUri,
    audience: service.audience,
    ...verifierOptions,
  });
  const authenticator = createRequestAuthenticator({
    narrowTokenVerifier,
    passThroughVerifier: createPassThroughVerifier(definition.issuers, service, verifierOptions),
  });

  const handle: ProxyHandler = async (event) => {
    const requestId = readRequestId(event);
    const routeName = `${event.httpMethod} ${event.resource}`;
    try {
      // Route.
      const route = findRouteByTemplate(routes, event.httpMethod, event.resource);
      if (!route) throw routeMissing(routes, event.resource);
      const operation = operationOf.get(route) as Operation;

      // Token.
      let caller: ServiceCaller;
      try {
        caller = await authenticator.authenticate(event, route, operation.scope);
      } catch (error) {
        if (error instanceof InsufficientScopeError) {
          logger.warn('scope refused', { requestId, route: routeName, code: error.code });
          return insufficientScopeResponse(requestId, requiredScopesFor(route, operation.scope));
        }
        throw error;
      }

      // Operation.
      const result = await operation.run({
        event,
        requestId,
        caller,
        pathParameters: event.pathParameters ?? {},
      });
      logger.info('request served', { requestId, route: routeName, status: result.status });
      return result.status === 204
        ? noContentResponse(requestId)
        : jsonResponse(result.status, result.body, requestId, result.headers);
    } catch (error) {
      return answerError(error, requestId, routeName, logger);
    }
  };
  return Object.assign(handle, { prefetchKeys: () => narrowTokenVerifier.hydrate() });
}

function answerError(
  error: unknown,
  requestId: string,
  route: string,
  logger: Logger,
): APIGatewayProxyResult {
  if (error instanceof InvalidTokenError) {
    logger.warn('token refused', { requestId, route, code: error.code, field: error.field });
    return invalidTokenResponse(requestId);
  }
  if (error instanceof MethodNotAllowedError) {
    logger.info('request refused', { requestId, route, code: error.code });
    return errorResponse(
      error.status,
      error.code,
      requestId,
      {},
      {
        allow: error.allowed.join(', '),
      },
    );
  }
  if (error instanceof RequestError) {
    logger.info('request refused', { requestId, route, code: error.code });
    const details = 'fields' in error ? { fields: error.fields } : {};
    return errorResponse(error.status, error.code, requestId, details);
  }

  // Anything else fails closed. Log the code and the error's class, not its
  // message: SDK messages can quote keys, and keys hold token subjects.
  const code = error instanceof DependencyError ? error.code : 'unexpected_error';
  const cause =
    error instanceof Error && error.cause instanceof Error ? error.cause.name : undefined;
  logger.error('request failed', {
    requestId,
    route,
    code,
    errorName: error instanceof Error ? error.name : typeof error,
    causeName: cause,
  });
  return internalErrorResponse(requestId);
}

function routeMissing(routes: readonly RouteConfig[], resource: string): RequestError {
  const allowed = routes.filter((route) => route.path === resource).map((route) => route.method);
  return allowed.length > 0
    ? new MethodNotAllowedError(allowed)
    : new NotFoundError('no route of this service answers this path');
}

function bindOperations(
  routes: readonly RouteConfig[],
  operations: readonly Operation[],
  definition: Definition,
): Map<RouteConfig, Operation> {
  const bound = new Map<RouteConfig, Operation>();
  const issues: { path: string; reason: string }[] = [];
  for (const route of routes) {
    const at = `routes.${definition.routes.indexOf(route)}`;
    const operation = operations.find(
      (candidate) => candidate.method === route.method && candidate.path === route.path,
    );
    if (!operation) {
      issues.push({ path: at, reason: `no operation of "${route.service}" serves this route` });
      continue;
    }
    if (route.mode === 'exchange' && !route.downstreamScopes.includes(operation.scope)) {
      issues.push({
        path: `${at}.downstreamScopes`,
        reason: `must include "${operation.scope}", which the operation needs`,
      });
      continue;
    }
    bound.set(route, operation);
  }
  if (issues.length > 0) throw new DefinitionError(issues);
  return bound;
}
