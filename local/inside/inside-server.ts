import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import type { RouteConfig } from '../../functions/shared/definition/schema.js';
import { compileRoutes, matchRoute } from '../../functions/shared/routes/match-route.js';
import { type ApiIdentity, defaultApiIdentity } from '../gateway/execute-api-arn.js';
import { buildProxyEvent, dispatch } from '../gateway/lambda-events.js';
import type { ProxyHandler } from '../gateway/lambda-handlers.js';
import { writeProxyResult } from '../gateway/proxy-result.js';
import { listenOnLoopback, type RunningServer } from '../http/listen.js';
import {
  BodyTooLargeError,
  headerValue,
  type RequestParts,
  readRequestParts,
} from '../http/request-parts.js';
import type { TestTokenSigner } from '../identity/test-token-signer.js';

/** The exchange as the authorizer's role reaches it: an RFC 8693 request in, an answer out. */
export type ExchangeHandler = (request: unknown) => Promise<unknown>;

/** One set of services reachable inside the network under a path prefix. */
export interface InsideMount {
  /** '' for the shop itself, or e.g. '/passthrough' for a variant. */
  readonly prefix: string;
  readonly routes: readonly RouteConfig[];
  readonly integrations: Readonly<Record<string, ProxyHandler>>;
}

export interface InsideNetworkOptions {
  readonly mounts: readonly InsideMount[];
  /** Serves `POST /exchange` when given. */
  readonly exchange?: ExchangeHandler;
  /**
   * Serves `POST /test-tokens/{expired|other-audience|permissive}` when
   * given, so `npm run demo` in another process can have them. Local stack
   * only: a deployed stack has no such route, no such signer.
   */
  readonly testTokens?: TestTokenSigner;
  readonly api?: Partial<ApiIdentity>;
  readonly log?: (line: string) => void;
}

/**
 * "Inside the network": the services' handlers with no gateway in front, as
 * anyone able to invoke the functions directly would reach them. The bearer
 * token a request carries is placed exactly where the service reads it —
 * `requestContext.authorizer.downstreamToken` on exchange routes, the
 * `Authorization` header on pass-through routes — so a refusal here is the
 * service's own check, never a missing field.
 */
export function createInsideNetworkHandler(options: InsideNetworkOptions): RequestListener {
  const api: ApiIdentity = { ...defaultApiIdentity, ...options.api };
  const mounts = options.mounts.map((mount) => ({
    ...mount,
    compiled: compileRoutes(mount.routes),
  }));

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<number> {
    let parts: RequestParts;
    try {
      parts = await readRequestParts(request);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return sendJson(response, 413, { message: 'request body too large' });
    }

    if (parts.rawPath === '/exchange' && options.exchange) {
      if (parts.method !== 'POST') return sendJson(response, 405, { message: 'use POST' });
      return await serveExchange(options.exchange, parts, response);
    }

    if (parts.rawPath.startsWith('/test-tokens/') && options.testTokens) {
      if (parts.method !== 'POST') return sendJson(response, 405, { message: 'use POST' });
      return await serveTestToken(options.testTokens, parts, response);
    }

    // Longest prefix first, so '' never shadows '/passthrough'.
    const ordered = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length);
    const mount = ordered.find((m) => m.prefix === '' || parts.rawPath.startsWith(`${m.prefix}/`));
    const path = mount ? parts.rawPath.slice(mount.prefix.length) : parts.rawPath;
    const lookup = mount ? matchRoute(mount.compiled, parts.method, path) : undefined;
    if (!mount || lookup?.outcome !== 'matched') {
      return sendJson(response, 404, { message: 'no such route inside the network' });
    }

    // The token where this route's service reads it, nothing more.
    const { route, pathParameters } = lookup.match;
    const token = readBearer(headerValue(parts.multiValueHeaders, 'Authorization'));
    const authorizer =
      route.mode === 'exchange' && token !== undefined ? { downstreamToken: token } : null;
    const dispatched = dispatch({ ...parts, rawPath: path }, route.path, pathParameters);
    const event = buildProxyEvent(api, dispatched, authorizer);
    if (route.mode === 'exchange') {
      // Exchange routes carry no client Authorization behind a gateway either.
      event.headers = withoutAuthorization(event.headers);
      event.multiValueHeaders = withoutAuthorization(event.multiValueHeaders);
    }

    const integration = mount.integrations[route.service];
    if (!integration) return sendJson(response, 500, { message: 'service not wired' });
    try {
      writeProxyResult(response, await integration(event), dispatched.requestId);
      return response.statusCode;
    } catch {
      return sendJson(response, 502, { message: 'service failed' });
    }
  }

  return (request, response) => {
    serve(request, response).then(
      (status) =>
        options.log?.(`${request.method} ${(request.url ?? '/').split('?')[0]} → ${status}`),
      () => {
        if (!response.headersSent) sendJson(response, 500, { message: 'internal error' });
        else response.destroy();
      },
    );
  };
}

/** Starts the inside-network server on 127.0.0.1:`port` (0 picks a free port). */
export async function startInsideNetwork(
  options: InsideNetworkOptions & { readonly port: number },
): Promise<RunningServer> {
  return await listenOnLoopback(createServer(createInsideNetworkHandler(options)), options.port);
}

/**
 * `POST /exchange`: the RFC 8693 request as JSON (the Lambda payload the
 * authorizer sends) or as a form (RFC 8693 §2.1 over HTTP). Status codes as
 * RFC 6749 §5.2 gives them for a token endpoint.
 */
async function serveExchange(
  exchange: ExchangeHandler,
  parts: RequestParts,
  response: ServerResponse,
): Promise<number> {
  const type = headerValue(parts.multiValueHeaders, 'Content-Type') ?? '';
  let request: unknown;
  try {
    request = type.startsWith('application/x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(parts.body ?? ''))
      : JSON.parse(parts.body ?? '');
  } catch {
    return sendJson(response, 400, { error: 'invalid_request', error_description: 'bad body' });
  }
  const answer = (await exchange(request)) as { error?: unknown };
  const status = answer.error === undefined ? 200 : answer.error === 'invalid_client' ? 401 : 400;
  return sendJson(response, status, answer, { 'Cache-Control': 'no-store' });
}

/** `POST /test-tokens/{kind}` with `{"client": "...", "scopes": [...]}`. */
async function serveTestToken(
  signer: TestTokenSigner,
  parts: RequestParts,
  response: ServerResponse,
): Promise<number> {
  const kind = parts.rawPath.slice('/test-tokens/'.length);
  let input: { client?: unknown; scopes?: unknown };
  try {
    input = JSON.parse(parts.body ?? '{}') as typeof input;
  } catch {
    return sendJson(response, 400, { message: 'body must be JSON' });
  }
  const client = typeof input.client === 'string' ? input.client : 'test-client';
  const scopes = Array.isArray(input.scopes) ? input.scopes.map(String) : [];
  const mint: Record<string, () => Promise<string>> = {
    expired: () => signer.expired(client, scopes),
    'other-audience': () => signer.otherAudience(client, scopes),
    permissive: () => signer.permissive(client),
  };
  const make = mint[kind];
  if (!make) return sendJson(response, 404, { message: `no test token "${kind}"` });
  return sendJson(response, 200, { access_token: await make() }, { 'Cache-Control': 'no-store' });
}

function readBearer(header: string | undefined): string | undefined {
  const match = /^Bearer ([^\s]+)$/i.exec(header?.trim() ?? '');
  return match?.[1];
}

function withoutAuthorization<T>(headers: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
  );
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): number {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
  return status;
}
