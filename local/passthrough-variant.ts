import { loadDefinition } from '../functions/shared/definition/load-definition.js';
import type { Definition, IssuerConfig } from '../functions/shared/definition/schema.js';
import {
  shopExchange,
  shopRoutes,
  shopServices,
} from '../functions/shared/definition/shop-definition.js';

/**
 * The routes the local stack also serves in pass-through mode, for the
 * contrast the demo draws: the client's token goes to the service as is,
 * and the service accepts any token naming its audience.
 */
export const passThroughRoutes = [
  { method: 'GET', path: '/catalog/events' },
  { method: 'GET', path: '/basket' },
] as const;

/** Where the inside-network server mounts the pass-through variant. */
export const passThroughPrefix = '/passthrough';

/**
 * The shop's definition with {@link passThroughRoutes} in pass-through mode,
 * validated like any other. The `basket.read` grant goes: only `GET /basket`
 * needed it, and the definition refuses a grant that no exchange route asks
 * for.
 */
export function loadPassThroughVariant(issuers: readonly IssuerConfig[]): Definition {
  const isPassThrough = (route: { method: string; path: string }) =>
    passThroughRoutes.some((p) => p.method === route.method && p.path === route.path);
  const routes = shopRoutes.map((route) =>
    isPassThrough(route) ? { ...route, mode: 'passthrough' as const } : route,
  );
  const neededGrant = (grant: { gatewayScope: string; service: string }) =>
    routes.some(
      (route) =>
        !isPassThrough(route) &&
        route.service === grant.service &&
        (route.scopes as readonly string[]).includes(grant.gatewayScope),
    );
  return loadDefinition(
    {
      issuers,
      services: shopServices,
      routes,
      exchange: { ...shopExchange, grants: shopExchange.grants.filter(neededGrant) },
    },
    { allowHttp: true },
  );
}
