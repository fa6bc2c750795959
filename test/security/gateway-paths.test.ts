import { describe, expect, it } from 'vitest';
import type { RouteConfig } from '../../functions/shared/definition/schema.js';
import { shopRoutes } from '../../functions/shared/definition/shop-definition.js';
import { compileRoutes, matchRoute } from '../../functions/shared/routes/match-route.js';

/**
 * Paths the local gateway (and the definition's checks) must read one way
 * only: decoded once, never twice, never normalised into another route.
 * Cases not already in test/route-matching.test.ts or test/local.
 */

const routes = compileRoutes(shopRoutes as unknown as RouteConfig[]);

describe('paths decoded once', () => {
  it.each([
    ['a double-encoded slash', '/catalog/events/a%252Fb', 'a%2Fb'],
    ['a double-encoded dot-dot', '/catalog/events/%252e%252e', '%2e%2e'],
    ['a fullwidth solidus', '/catalog/events/a%EF%BC%8Fb', 'a\uFF0Fb'],
    ['a dot-dot with a trailing dot', '/catalog/events/...', '...'],
  ])('keeps %s inside one {eventId}', (_case, path, eventId) => {
    const lookup = matchRoute(routes, 'GET', path);

    expect(lookup).toEqual({
      outcome: 'matched',
      match: {
        route: expect.objectContaining({ path: '/catalog/events/{eventId}' }),
        pathParameters: { eventId },
      },
    });
  });

  it.each([
    ['an overlong UTF-8 slash', '/catalog/events/a%C0%AFb'],
    ['a lone percent', '/catalog/events/%'],
    ['an encoded dot segment of one dot', '/catalog/%2e/events'],
    ['a trailing encoded slash', '/basket%2f'],
  ])('matches no route with %s', (_case, path) => {
    const lookup = matchRoute(routes, 'GET', path);

    expect(lookup.outcome).toBe('rejected');
  });

  it.each(['HEAD', 'OPTIONS', 'get', 'TRACE', 'PATCH'])('matches no route for method %s', (m) => {
    expect(matchRoute(routes, m, '/catalog/events').outcome).toBe('method-not-allowed');
  });
});
