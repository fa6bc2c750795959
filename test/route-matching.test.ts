import { describe, expect, it } from 'vitest';
import type { RouteConfig } from '../functions/shared/definition/schema.js';
import { shopRoutes } from '../functions/shared/definition/shop-definition.js';
import {
  compileRoutes,
  findRouteByTemplate,
  matchRoute,
} from '../functions/shared/routes/match-route.js';
import {
  parsePathTemplate,
  templatesOverlap,
  toResourcePattern,
} from '../functions/shared/routes/path-template.js';

const routes = compileRoutes(shopRoutes as unknown as RouteConfig[]);

describe('matchRoute', () => {
  it.each([
    ['GET', '/catalog/events', '/catalog/events', {}],
    ['GET', '/catalog/events/ev-1', '/catalog/events/{eventId}', { eventId: 'ev-1' }],
    ['PUT', '/basket/lines/a%20b', '/basket/lines/{eventId}', { eventId: 'a b' }],
    ['DELETE', '/basket', '/basket', {}],
  ])('matches %s %s to %s', (method, path, template, parameters) => {
    const lookup = matchRoute(routes, method, path);

    expect(lookup.outcome).toBe('matched');
    if (lookup.outcome !== 'matched') return;
    expect(lookup.match.route.path).toBe(template);
    expect(lookup.match.route.method).toBe(method);
    expect(lookup.match.pathParameters).toEqual(parameters);
  });

  it.each([
    ['an encoded slash', '/catalog/events/a%2Fb'],
    ['an encoded slash in lower case', '/catalog/events/a%2fb'],
    ['an encoded backslash', '/catalog/events/a%5Cb'],
    ['a raw backslash', '/catalog/events/a\\b'],
    ['a dot-dot segment', '/basket/lines/../../catalog/events'],
    ['a dot segment', '/catalog/./events'],
    ['an encoded dot-dot segment', '/basket/lines/%2E%2E'],
    ['a mixed encoded dot segment', '/basket/lines/.%2e'],
    ['repeated slashes', '/catalog//events'],
    ['invalid percent-encoding', '/catalog/events/%E0%A4%A'],
    ['a NUL byte', '/catalog/events/a%00'.replace('%00', '\u0000')],
    ['no leading slash', 'catalog/events'],
  ])('rejects a path with %s', (_why, path) => {
    expect(matchRoute(routes, 'GET', path).outcome).toBe('rejected');
  });

  it.each([
    ['a trailing slash', 'GET', '/catalog/events/'],
    ['a trailing slash after a parameter', 'GET', '/catalog/events/ev-1/'],
    ['another letter case in the path', 'GET', '/Catalog/events'],
    ['an unknown path', 'GET', '/admin'],
    ['an extra segment', 'GET', '/catalog/events/ev-1/tickets'],
    ['an empty parameter', 'PUT', '/basket/lines/'],
  ])('finds no route for %s', (_why, method, path) => {
    expect(matchRoute(routes, method, path).outcome).toBe('not-found');
  });

  it.each([
    ['a lower-case method', 'get', '/catalog/events'],
    ['OPTIONS', 'OPTIONS', '/catalog/events'],
    ['HEAD', 'HEAD', '/basket'],
    ['a method the path has not', 'PATCH', '/basket'],
  ])('answers method-not-allowed for %s', (_why, method, path) => {
    expect(matchRoute(routes, method, path).outcome).toBe('method-not-allowed');
  });

  it('takes whole segments for a greedy parameter', () => {
    const greedy = compileRoutes([{ ...shopRoutes[0], path: '/files/{proxy+}' } as RouteConfig]);

    const lookup = matchRoute(greedy, 'GET', '/files/a/b%20c');

    expect(lookup).toEqual({
      outcome: 'matched',
      match: { route: expect.anything(), pathParameters: { proxy: 'a/b c' } },
    });
    expect(matchRoute(greedy, 'GET', '/files').outcome).toBe('not-found');
    expect(matchRoute(greedy, 'GET', '/files/a/').outcome).toBe('not-found');
  });
});

describe('findRouteByTemplate', () => {
  it('finds the route API Gateway dispatched by method and template', () => {
    const route = findRouteByTemplate(shopRoutes as unknown as RouteConfig[], 'DELETE', '/basket');

    expect(route?.scopes).toEqual(['basket.write']);
  });

  it('never matches a concrete path against templates', () => {
    const routeList = shopRoutes as unknown as RouteConfig[];

    expect(findRouteByTemplate(routeList, 'GET', '/catalog/events/ev-1')).toBeUndefined();
  });
});

describe('path templates', () => {
  it.each([
    ['/a/{x}', '/a/b', true],
    ['/a/{x}', '/a', false],
    ['/a/{proxy+}', '/a/b/c', true],
    ['/a/{proxy+}', '/a', false],
    ['/a/b', '/a/c', false],
    ['/{x}/b', '/a/{y}', true],
  ])('%s and %s overlap: %s', (left, right, expected) => {
    expect(templatesOverlap(parsePathTemplate(left), parsePathTemplate(right))).toBe(expected);
    expect(templatesOverlap(parsePathTemplate(right), parsePathTemplate(left))).toBe(expected);
  });

  it.each([
    ['/catalog/events', 'catalog/events'],
    ['/catalog/events/{eventId}', 'catalog/events/*'],
    ['/files/{proxy+}', 'files/*'],
  ])('writes %s as the resource pattern %s', (template, pattern) => {
    expect(toResourcePattern(parsePathTemplate(template))).toBe(pattern);
  });
});
