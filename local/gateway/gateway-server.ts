import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { RouteConfig } from '../../functions/shared/definition/schema.js';
import { compileRoutes, matchRoute } from '../../functions/shared/routes/match-route.js';
import { listenOnLoopback, type RunningServer } from '../http/listen.js';
import {
  BodyTooLargeError,
  headerValue,
  type RequestParts,
  readRequestParts,
} from '../http/request-parts.js';
import { AuthorizerCache } from './authorizer-cache.js';
import { type ApiIdentity, buildMethodArn, defaultApiIdentity } from './execute-api-arn.js';
import { type GatewayResponseType, sendGatewayResponse } from './gateway-responses.js';
import {
  buildAuthorizerEvent,
  buildProxyEvent,
  type DispatchedRequest,
  dispatch,
} from './lambda-events.js';
import type { AuthorizerHandler, ProxyHandler } from './lambda-handlers.js';
import { evaluatePolicy, PolicyShapeError } from './policy.js';
import { ProxyResultError, writeProxyResult } from './proxy-result.js';

/** The authorizer's cache TTL the stack sets, in seconds; the emulator uses the same. */
export const defaultAuthorizerCacheTtlSeconds = 60;

/** A route served without an authorizer, matched by exact method and raw path. */
export interface PublicRoute {
  readonly method: string;
  readonly path: string;
  readonly handler: ProxyHandler;
}

export interface GatewayOptions {
  /** The definition's routes; each is served by `integrations[route.service]`. */
  readonly routes: readonly RouteConfig[];
  readonly authorizer: AuthorizerHandler;
  /** One Lambda proxy handler per service name. */
  readonly integrations: Readonly<Record<string, ProxyHandler>>;
  /** Routes with no authorizer, such as `/.well-known/jwks.json`. @default [] */
  readonly publicRoutes?: readonly PublicRoute[];
  /** Authorizer result cache TTL in seconds; 0 turns caching off. @default 60 */
  readonly cacheTtlSeconds?: number;
  /** Region, account, API id and stage written into ARNs and events. */
  readonly api?: Partial<ApiIdentity>;
  /** The clock in milliseconds, for the cache and request times. @default Date.now */
  readonly now?: () => number;
  /** Receives one line per request: method, path, status, and how it was decided. */
  readonly log?: (line: string) => void;
}

/** What the gateway decided for one request; returned for logs and tests. */
interface Outcome {
  readonly status: number;
  readonly note: string;
}

/**
 * A REST API (API Gateway v1) emulator for narrowgate's routes: a REQUEST
 * authorizer whose identity sources are the `Authorization` header,
 * `context.httpMethod` and `context.resourcePath`, and Lambda proxy
 * integrations. It behaves as API Gateway does in everything narrowgate
 * relies on; see the README's status table.
 */
export function createGatewayHandler(options: GatewayOptions): {
  handle: RequestListener;
  cache: AuthorizerCache;
} {
  const api: ApiIdentity = { ...defaultApiIdentity, ...options.api };
  const now = options.now ?? (() => Date.now());
  const cache = new AuthorizerCache(
    options.cacheTtlSeconds ?? defaultAuthorizerCacheTtlSeconds,
    now,
  );
  const compiled = compileRoutes(options.routes);
  const publicRoutes = options.publicRoutes ?? [];

  for (const route of options.routes) {
    if (!options.integrations[route.service]) {
      throw new TypeError(`no integration for service "${route.service}"`);
    }
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<Outcome> {
    let parts: RequestParts;
    try {
      parts = await readRequestParts(request);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return reply(response, 'REQUEST_TOO_LARGE', 'body too large', 'no-id');
    }

    // Public routes: exact paths only, so no encoding can reach them sideways.
    const open = publicRoutes.find((r) => r.method === parts.method && r.path === parts.rawPath);
    if (open) {
      const dispatched = dispatch(parts, open.path, {}, now);
      return await integrate(response, open.handler, dispatched, null, 'public');
    }

    // Routing: unknown paths, methods and refused paths never reach an authorizer.
    const lookup = matchRoute(compiled, parts.method, parts.rawPath);
    if (lookup.outcome !== 'matched') {
      const id = dispatch(parts, '', {}, now).requestId;
      return reply(response, 'MISSING_AUTHENTICATION_TOKEN', `no route (${lookup.outcome})`, id);
    }
    const { route, pathParameters } = lookup.match;
    const dispatched = dispatch(parts, route.path, pathParameters, now);
    const { requestId } = dispatched;

    // Identity sources: a missing one is answered 401 before the authorizer runs.
    const authorization = headerValue(parts.multiValueHeaders, 'Authorization');
    if (authorization === undefined || authorization.trim() === '') {
      return reply(response, 'UNAUTHORIZED', 'identity source missing', requestId);
    }
    const identitySources = [authorization, parts.method, route.path];

    // Authorizer: cached by every identity source, or called.
    const methodArn = buildMethodArn(api, parts.method, parts.rawPath);
    let result = cache.get(identitySources);
    let note = 'authorizer cached';
    if (!result) {
      note = 'authorizer called';
      try {
        result = await options.authorizer(buildAuthorizerEvent(api, dispatched));
      } catch (error) {
        if (error instanceof Error && error.message === 'Unauthorized') {
          return reply(response, 'UNAUTHORIZED', 'authorizer: Unauthorized', requestId);
        }
        return reply(response, 'AUTHORIZER_FAILURE', 'authorizer failed', requestId);
      }
      const problem = checkAuthorizerResult(result);
      if (problem) return reply(response, 'AUTHORIZER_CONFIGURATION_ERROR', problem, requestId);
      cache.set(identitySources, result);
    }

    // Policy: evaluated against this request's methodArn, cached or not.
    let decision: ReturnType<typeof evaluatePolicy>;
    try {
      decision = evaluatePolicy(result.policyDocument, methodArn);
    } catch (error) {
      if (!(error instanceof PolicyShapeError)) throw error;
      return reply(response, 'AUTHORIZER_CONFIGURATION_ERROR', error.message, requestId);
    }
    if (decision === 'explicit-deny') {
      sendGatewayResponse(
        response,
        'ACCESS_DENIED',
        requestId,
        'User is not authorized to access this resource with an explicit deny',
      );
      return { status: 403, note: `${note}, explicit deny` };
    }
    if (decision === 'implicit-deny') {
      return reply(response, 'ACCESS_DENIED', `${note}, no matching allow`, requestId);
    }

    const integration = options.integrations[route.service] as ProxyHandler;
    return await integrate(response, integration, dispatched, toContext(result), note);
  }

  async function integrate(
    response: ServerResponse,
    handler: ProxyHandler,
    dispatched: DispatchedRequest,
    authorizer: Record<string, unknown> | null,
    note: string,
  ): Promise<Outcome> {
    const event = buildProxyEvent(api, dispatched, authorizer);
    try {
      const result = await handler(event);
      writeProxyResult(response, result, dispatched.requestId);
      return { status: response.statusCode, note };
    } catch (error) {
      if (response.headersSent) throw error;
      const why = error instanceof ProxyResultError ? error.message : 'integration threw';
      return reply(response, 'INTEGRATION_FAILURE', why, dispatched.requestId);
    }
  }

  const handle: RequestListener = (request, response) => {
    serve(request, response).then(
      (outcome) => options.log?.(`${request.method} ${pathOf(request)} → ${describe(outcome)}`),
      () => {
        // Emulator bug, not a request outcome: fail closed, never half-answer.
        if (!response.headersSent) sendGatewayResponse(response, 'AUTHORIZER_FAILURE', 'no-id');
        else response.destroy();
      },
    );
  };
  return { handle, cache };
}

/** The gateway as an http server of its own. */
export function createGatewayServer(options: GatewayOptions): {
  server: Server;
  cache: AuthorizerCache;
} {
  const { handle, cache } = createGatewayHandler(options);
  return { server: createServer(handle), cache };
}

/** Starts the gateway on 127.0.0.1:`port` (0 picks a free port). */
export async function startGateway(
  options: GatewayOptions & { readonly port: number },
): Promise<RunningServer & { readonly cache: AuthorizerCache }> {
  const { server, cache } = createGatewayServer(options);
  const running = await listenOnLoopback(server, options.port);
  return { ...running, cache };
}

function reply(
  response: ServerResponse,
  type: GatewayResponseType,
  note: string,
  requestId: string,
): Outcome {
  sendGatewayResponse(response, type, requestId);
  return { status: response.statusCode, note };
}

/**
 * API Gateway rejects a result without a principal or policy, and a context
 * holding anything but strings, numbers and booleans, with a 500.
 */
function checkAuthorizerResult(result: APIGatewayAuthorizerResult): string | undefined {
  if (typeof result !== 'object' || result === null) return 'authorizer returned no object';
  if (typeof result.principalId !== 'string' || result.principalId === '') {
    return 'authorizer result has no principalId';
  }
  for (const [key, value] of Object.entries(result.context ?? {})) {
    // null and undefined vanish on the way, as they do in Lambda's JSON answer.
    if (value === null || value === undefined) continue;
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      return `authorizer context "${key}" is not a string, number or boolean`;
    }
  }
  return undefined;
}

/** `requestContext.authorizer` as the integration sees it: strings, plus the principal. */
function toContext(result: APIGatewayAuthorizerResult): Record<string, unknown> {
  const context: Record<string, unknown> = { principalId: result.principalId };
  for (const [key, value] of Object.entries(result.context ?? {})) {
    if (value !== null && value !== undefined) context[key] = String(value);
  }
  context.integrationLatency = 0;
  return context;
}

/** The path without its query: queries may carry anything, logs carry no secrets. */
function pathOf(request: IncomingMessage): string {
  return (request.url ?? '/').split('?')[0] ?? '/';
}

function describe(outcome: Outcome): string {
  return `${outcome.status} (${outcome.note})`;
}
