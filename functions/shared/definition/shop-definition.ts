import type { DefinitionInput } from './schema.js';

/**
 * The demo shop: a catalog of events and a basket per subject. Everything
 * here is the same in every environment; issuers are not, so each
 * environment adds its own (see `environment-definition.ts`).
 *
 * Gateway scopes use dots (`catalog.read`): they are what clients ask their
 * identity provider for. Service scopes use colons (`catalog:read`): only
 * the exchange writes them, into tokens only one service accepts.
 */
export const shopServices = [
  {
    name: 'catalog',
    audience: 'urn:narrowgate:service:catalog',
    scopes: ['catalog:read', 'catalog:write'],
  },
  {
    name: 'basket',
    audience: 'urn:narrowgate:service:basket',
    scopes: ['basket:read', 'basket:write'],
  },
] as const satisfies DefinitionInput['services'];

/** The gateway scopes, as clients request them. */
export const shopGatewayScopes = [
  'catalog.read',
  'catalog.write',
  'basket.read',
  'basket.write',
] as const;

const catalogRead = {
  scopes: ['catalog.read'],
  service: 'catalog',
  downstreamScopes: ['catalog:read'],
};
const catalogWrite = {
  scopes: ['catalog.write'],
  service: 'catalog',
  downstreamScopes: ['catalog:write'],
};
const basketRead = {
  scopes: ['basket.read'],
  service: 'basket',
  downstreamScopes: ['basket:read'],
};
const basketWrite = {
  scopes: ['basket.write'],
  service: 'basket',
  downstreamScopes: ['basket:write'],
};

export const shopRoutes = [
  { method: 'GET', path: '/catalog/events', ...catalogRead },
  { method: 'GET', path: '/catalog/events/{eventId}', ...catalogRead },
  { method: 'POST', path: '/catalog/events', ...catalogWrite },
  { method: 'PUT', path: '/catalog/events/{eventId}', ...catalogWrite },
  { method: 'DELETE', path: '/catalog/events/{eventId}', ...catalogWrite },
  { method: 'GET', path: '/basket', ...basketRead },
  { method: 'PUT', path: '/basket/lines/{eventId}', ...basketWrite },
  { method: 'DELETE', path: '/basket/lines/{eventId}', ...basketWrite },
  { method: 'DELETE', path: '/basket', ...basketWrite },
] as const satisfies DefinitionInput['routes'];

export const shopExchange = {
  tokenLifetimeSeconds: 300,
  actor: 'urn:narrowgate:gateway',
  grants: [
    { gatewayScope: 'catalog.read', service: 'catalog', scopes: ['catalog:read'] },
    { gatewayScope: 'catalog.write', service: 'catalog', scopes: ['catalog:write'] },
    { gatewayScope: 'basket.read', service: 'basket', scopes: ['basket:read'] },
    { gatewayScope: 'basket.write', service: 'basket', scopes: ['basket:write'] },
  ],
} as const satisfies DefinitionInput['exchange'];

/** The demo clients and the gateway scopes each may ask for. */
export const shopClients = {
  'shop-web': ['catalog.read', 'basket.read', 'basket.write'],
  'catalog-admin': ['catalog.read', 'catalog.write'],
  analytics: ['catalog.read'],
} as const satisfies Record<string, readonly (typeof shopGatewayScopes)[number][]>;

export type ShopClient = keyof typeof shopClients;

/** The gateway's audience for issuers that write one into `aud`. */
export const shopGatewayAudience = 'urn:narrowgate:gateway';
