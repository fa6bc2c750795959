import type { HttpMethod, RouteConfig } from '../definition/schema.js';
import { type PathTemplate, parsePathTemplate } from './path-template.js';

/**
 * Matching a raw request path to the definition's routes, as the local
 * gateway does and as API Gateway does for a REST API.
 *
 * The rules, chosen so that a path can never be read two ways:
 * - the path is compared before any normalisation; nothing is rewritten;
 * - a path holding `//`, a backslash, a control character, a dot segment
 *   (`.` or `..`, raw or percent-encoded), an encoded slash (`%2F`) or an
 *   encoded backslash (`%5C`), or invalid percent-encoding matches no route;
 * - a trailing slash is part of the path: `/basket/` is not `/basket`;
 * - paths and methods are case-sensitive: `/Basket` and `get` match nothing;
 * - `{param}` takes one non-empty segment, percent-decoded into the path
 *   parameters; `{proxy+}` takes one or more whole segments;
 * - literal segments compare byte for byte with the raw segment.
 * The definition refuses overlapping routes, so at most one route matches.
 */

export interface CompiledRoute {
  readonly route: RouteConfig;
  readonly template: PathTemplate;
}

export interface RouteMatch {
  readonly route: RouteConfig;
  /** Decoded values of `{param}` and `{proxy+}` segments. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

export type RouteLookup =
  | { readonly outcome: 'matched'; readonly match: RouteMatch }
  /** The path is one narrowgate refuses to interpret (see the rules above). */
  | { readonly outcome: 'rejected'; readonly reason: string }
  /** A route has this path, but not this method. */
  | { readonly outcome: 'method-not-allowed' }
  | { readonly outcome: 'not-found' };

/** Parses every route's template once; call at start-up. */
export function compileRoutes(routes: readonly RouteConfig[]): CompiledRoute[] {
  return routes.map((route) => ({ route, template: parsePathTemplate(route.path) }));
}

/** Finds the route a request reaches, or says why none does. */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  rawPath: string,
): RouteLookup {
  const split = splitRawPath(rawPath);
  if ('reason' in split) return { outcome: 'rejected', reason: split.reason };

  let pathMatched = false;
  for (const compiled of routes) {
    const pathParameters = matchSegments(compiled.template, split.raw, split.decoded);
    if (pathParameters === undefined) continue;
    if (compiled.route.method !== method) {
      pathMatched = true;
      continue;
    }
    return { outcome: 'matched', match: { route: compiled.route, pathParameters } };
  }
  return { outcome: pathMatched ? 'method-not-allowed' : 'not-found' };
}

/** Finds a route by the template API Gateway dispatched, e.g. `event.resource`. */
export function findRouteByTemplate(
  routes: readonly RouteConfig[],
  method: string,
  template: string,
): RouteConfig | undefined {
  return routes.find((route) => route.method === (method as HttpMethod) && route.path === template);
}

type SplitPath = { raw: string[]; decoded: string[] } | { reason: string };

function splitRawPath(rawPath: string): SplitPath {
  // Structure first: these never reach segment matching.
  if (!rawPath.startsWith('/')) return { reason: 'path must start with "/"' };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\x00-\x20\x7f\\]/.test(rawPath))
    return { reason: 'path holds a control character, space or backslash' };
  if (rawPath === '/') return { raw: [], decoded: [] };
  if (rawPath.includes('//')) return { reason: 'path holds an empty segment' };

  const raw = rawPath.slice(1).split('/');
  const decoded: string[] = [];
  for (const segment of raw) {
    let value: string;
    try {
      value = decodeURIComponent(segment);
    } catch {
      return { reason: 'path holds invalid percent-encoding' };
    }

    // Each of these would let a proxy or a framework read a different path.
    if (value.includes('/') || value.includes('\\')) {
      return { reason: 'path holds an encoded slash or backslash' };
    }
    if (value === '.' || value === '..') return { reason: 'path holds a dot segment' };
    decoded.push(value);
  }
  return { raw, decoded };
}

function matchSegments(
  template: PathTemplate,
  raw: readonly string[],
  decoded: readonly string[],
): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  const { segments } = template;
  const last = segments.at(-1);
  const greedy = last?.kind === 'greedy';
  if (greedy ? raw.length < segments.length : raw.length !== segments.length) return undefined;

  for (const [index, segment] of segments.entries()) {
    const rawValue = raw[index] ?? '';
    const value = decoded[index] ?? '';
    switch (segment.kind) {
      case 'literal':
        if (rawValue !== segment.value) return undefined;
        break;
      case 'param':
        if (value === '') return undefined;
        parameters[segment.name] = value;
        break;
      case 'greedy':
        if (raw.slice(index).includes('')) return undefined;
        parameters[segment.name] = decoded.slice(index).join('/');
        break;
    }
  }
  return parameters;
}
