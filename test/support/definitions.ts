import type { DefinitionInput } from '../../functions/shared/definition/schema.js';
import {
  shopExchange,
  shopGatewayAudience,
  shopRoutes,
  shopServices,
} from '../../functions/shared/definition/shop-definition.js';

/** A generic OIDC issuer over https, as a deployed definition holds it. */
export const httpsIssuer = {
  name: 'idp',
  issuer: 'https://idp.example.com',
  jwksUri: 'https://idp.example.com/jwks',
  dialect: 'oidc',
  algorithms: ['RS256', 'ES256'],
  tokenTypes: ['at+jwt'],
  audience: shopGatewayAudience,
} as const satisfies DefinitionInput['issuers'][number];

/** A fresh, valid copy of the shop's definition that a test may change. */
export function validShopDefinition(): DefinitionInput {
  return structuredClone({
    issuers: [httpsIssuer],
    services: shopServices,
    routes: shopRoutes,
    exchange: shopExchange,
  }) as DefinitionInput;
}
