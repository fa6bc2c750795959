import { describe, expect, it } from 'vitest';
import { DefinitionError, loadDefinition } from '../functions/shared/definition/load-definition.js';
import type { DefinitionInput } from '../functions/shared/definition/schema.js';
import { httpsIssuer, validShopDefinition } from './support/definitions.js';

/** Loads `definition` and returns the issues it is refused with. */
function issuesOf(definition: DefinitionInput, allowHttp = false) {
  try {
    loadDefinition(definition, { allowHttp });
  } catch (error) {
    if (error instanceof DefinitionError) return error.issues;
    throw error;
  }
  return [];
}

type Mutation = (d: DefinitionInput) => void;

/** Each row breaks one rule; the issue must name the field and the reason. */
const failsBecause: [string, Mutation, string, RegExp][] = [
  [
    'a route names an unknown service',
    (d) => {
      d.routes[0] = { ...d.routes[0]!, service: 'payments' };
    },
    'routes.0.service',
    /unknown service "payments"/,
  ],
  [
    'a route duplicates another',
    (d) => {
      d.routes.push({ ...d.routes[0]! });
    },
    'routes.9.path',
    /duplicates routes\.0 \(GET \/catalog\/events\)/,
  ],
  [
    'a greedy route overlaps a literal one',
    (d) => {
      d.routes.push({ ...d.routes[0]!, path: '/catalog/{proxy+}' });
    },
    'routes.9.path',
    /overlaps routes\.0/,
  ],
  [
    'a literal route overlaps a parameter route',
    (d) => {
      d.routes.push({ ...d.routes[1]!, path: '/catalog/events/featured' });
    },
    'routes.9.path',
    /overlaps routes\.1/,
  ],
  [
    'two routes name one path level differently',
    (d) => {
      d.routes[3] = { ...d.routes[3]!, path: '/catalog/events/{id}' };
    },
    'routes.3.path',
    /names parameter "id" where routes\.1 names "eventId"/,
  ],
  [
    'a route asks for a downstream scope its service does not understand',
    (d) => {
      d.routes[0] = { ...d.routes[0]!, downstreamScopes: ['basket:read'] };
    },
    'routes.0.downstreamScopes',
    /service "catalog" does not understand scope "basket:read"/,
  ],
  [
    'a route asks for a downstream scope its gateway scopes do not grant',
    (d) => {
      d.routes[0] = { ...d.routes[0]!, downstreamScopes: ['catalog:write'] };
    },
    'routes.0.downstreamScopes',
    /no grant turns this route's gateway scopes into "catalog:write"/,
  ],
  [
    'a grant turns a read scope into a write scope no route needs',
    (d) => {
      d.exchange.grants[0] = {
        ...d.exchange.grants[0]!,
        scopes: ['catalog:read', 'catalog:write'],
      };
    },
    'exchange.grants.0.scopes',
    /widens "catalog.read" to "catalog:write"/,
  ],
  [
    'a grant opens a second service with one gateway scope',
    (d) => {
      d.exchange.grants.push({
        gatewayScope: 'catalog.read',
        service: 'basket',
        scopes: ['basket:read'],
      });
    },
    'exchange.grants.4.gatewayScope',
    /widens "catalog.read" to a second service/,
  ],
  [
    'a grant names a scope its service does not understand',
    (d) => {
      d.exchange.grants[0] = { ...d.exchange.grants[0]!, scopes: ['catalog:admin'] };
    },
    'exchange.grants.0.scopes',
    /does not understand scope "catalog:admin"/,
  ],
  [
    'a grant names an unknown service',
    (d) => {
      d.exchange.grants[0] = { ...d.exchange.grants[0]!, service: 'payments' };
    },
    'exchange.grants.0.service',
    /unknown service "payments"/,
  ],
  [
    'an issuer uses http outside local mode',
    (d) => {
      d.issuers[0] = { ...httpsIssuer, issuer: 'http://idp.example.com' };
    },
    'issuers.0.issuer',
    /must use https outside local mode/,
  ],
  [
    'an issuer serves its keys over http outside local mode',
    (d) => {
      d.issuers[0] = { ...httpsIssuer, jwksUri: 'http://idp.example.com/jwks' };
    },
    'issuers.0.jwksUri',
    /must use https outside local mode/,
  ],
  [
    'an issuer appears twice',
    (d) => {
      d.issuers.push({ ...httpsIssuer, name: 'again' });
    },
    'issuers.1.issuer',
    /repeats the issuer of issuers\.0/,
  ],
  [
    'an issuer allows HMAC',
    (d) => {
      d.issuers[0] = { ...httpsIssuer, algorithms: ['HS256' as 'RS256'] };
    },
    'issuers.0.algorithms.0',
    /Invalid option/,
  ],
  [
    'an issuer accepts no token type at all',
    (d) => {
      d.issuers[0] = { ...httpsIssuer, tokenTypes: [] };
    },
    'issuers.0.tokenTypes',
    /must accept at least one token type/,
  ],
  [
    'a Cognito issuer allows no app client',
    (d) => {
      d.issuers[0] = {
        name: 'cognito',
        dialect: 'cognito',
        issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
        jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json',
        algorithms: ['RS256'],
        acceptUntypedTokens: true,
        resourceServer: 'narrowgate',
        clientIds: [],
      };
    },
    'issuers.0.clientIds',
    /must allow at least one app client/,
  ],
  [
    'an issuer has more clock leeway than the limit',
    (d) => {
      d.issuers[0] = { ...httpsIssuer, clockLeewaySeconds: 301 };
    },
    'issuers.0.clockLeewaySeconds',
    /300/,
  ],
  [
    'the narrow-token lifetime is zero',
    (d) => {
      d.exchange.tokenLifetimeSeconds = 0;
    },
    'exchange.tokenLifetimeSeconds',
    /must be at least one second/,
  ],
  [
    'the narrow-token lifetime is above the maximum',
    (d) => {
      d.exchange.tokenLifetimeSeconds = 3601;
    },
    'exchange.tokenLifetimeSeconds',
    /must be at most 3600 seconds/,
  ],
  [
    'the narrow-token lifetime is fractional',
    (d) => {
      d.exchange.tokenLifetimeSeconds = 1.5;
    },
    'exchange.tokenLifetimeSeconds',
    /expected int/,
  ],
  [
    'a service repeats the audience of another',
    (d) => {
      d.services[1] = { ...d.services[1]!, audience: d.services[0]!.audience };
    },
    'services.1.audience',
    /repeats the audience of another service/,
  ],
  [
    'a service shares the gateway audience',
    (d) => {
      d.services[0] = { ...d.services[0]!, audience: httpsIssuer.audience };
    },
    'services.0.audience',
    /equals the gateway audience/,
  ],
  [
    'a service name repeats',
    (d) => {
      d.services.push({ ...d.services[0]!, audience: 'urn:other' });
    },
    'services.2.name',
    /repeats another service/,
  ],
  [
    'a route repeats a scope',
    (d) => {
      d.routes[0] = { ...d.routes[0]!, scopes: ['catalog.read', 'catalog.read'] };
    },
    'routes.0.scopes',
    /must not repeat a scope/,
  ],
  [
    'a scope holds a space',
    (d) => {
      d.routes[0] = { ...d.routes[0]!, scopes: ['catalog read'] };
    },
    'routes.0.scopes.0',
    /must be a scope token/,
  ],
  [
    'a route requires no gateway scope',
    (d) => {
      d.routes[0] = { ...d.routes[0]!, scopes: [] };
    },
    'routes.0.scopes',
    /must require at least one gateway scope/,
  ],
  [
    'a path has a trailing slash',
    (d) => {
      d.routes[0] = { ...d.routes[0]!, path: '/catalog/events/' };
    },
    'routes.0.path',
    /must not end with "\/"/,
  ],
  [
    'a path holds a dot segment',
    (d) => {
      d.routes[0] = { ...d.routes[0]!, path: '/catalog/../events' };
    },
    'routes.0.path',
    /dot segment/,
  ],
  [
    'a greedy segment is not last',
    (d) => {
      d.routes[0] = { ...d.routes[0]!, path: '/catalog/{proxy+}/x' };
    },
    'routes.0.path',
    /only at the end/,
  ],
  [
    'a service name holds capitals',
    (d) => {
      d.services[0] = { ...d.services[0]!, name: 'Catalog' };
    },
    'services.0.name',
    /lower-case letters, digits and dashes/,
  ],
  [
    'an audience starts with white space',
    (d) => {
      d.services[0] = { ...d.services[0]!, audience: ' urn:narrowgate:service:catalog' };
    },
    'services.0.audience',
    /must not start or end with white space/,
  ],
  [
    'an issuer URL is not http or https',
    (d) => {
      d.issuers[0] = { ...httpsIssuer, issuer: 'ftp://idp.example.com' };
    },
    'issuers.0.issuer',
    /must be an http\(s\) URL/,
  ],
  [
    'an issuer allows no algorithm',
    (d) => {
      d.issuers[0] = { ...httpsIssuer, algorithms: [] };
    },
    'issuers.0.algorithms',
    /must allow at least one algorithm/,
  ],
  [
    'an issuer names an unknown dialect',
    (d) => {
      d.issuers[0] = { ...httpsIssuer, dialect: 'saml' as 'oidc' };
    },
    'issuers.0.dialect',
    /Invalid discriminator value/,
  ],
  [
    'an issuer has negative clock leeway',
    (d) => {
      d.issuers[0] = { ...httpsIssuer, clockLeewaySeconds: -1 };
    },
    'issuers.0.clockLeewaySeconds',
    /expected number to be >=0/,
  ],
  [
    'a route requests no downstream scope',
    (d) => {
      d.routes[0] = { ...d.routes[0]!, downstreamScopes: [] };
    },
    'routes.0.downstreamScopes',
    /must request at least one downstream scope/,
  ],
  [
    'a grant grants no scope',
    (d) => {
      d.exchange.grants[0] = { ...d.exchange.grants[0]!, scopes: [] };
    },
    'exchange.grants.0.scopes',
    /must grant at least one scope/,
  ],
  [
    'the actor is blank',
    (d) => {
      d.exchange.actor = '';
    },
    'exchange.actor',
    /must not be empty/,
  ],
  [
    'there is no issuer',
    (d) => {
      d.issuers = [];
    },
    'issuers',
    /must hold at least one issuer/,
  ],
  [
    'there is no route',
    (d) => {
      d.routes = [];
    },
    'routes',
    /must hold at least one route/,
  ],
  [
    'a service understands no scope',
    (d) => {
      d.services[0] = { ...d.services[0]!, scopes: [] };
    },
    'services.0.scopes',
    /must list at least one scope/,
  ],
  [
    'a method is not one the gateway serves',
    (d) => {
      d.routes[0] = { ...d.routes[0]!, method: 'TRACE' as 'GET' };
    },
    'routes.0.method',
    /Invalid option/,
  ],
];

describe('loadDefinition', () => {
  it('accepts the shop definition and fills in defaults', () => {
    const definition = loadDefinition(validShopDefinition());

    expect(definition.routes).toHaveLength(9);
    expect(definition.routes.every((r) => r.mode === 'exchange')).toBe(true);
    expect(definition.issuers[0]?.clockLeewaySeconds).toBe(30);
    expect(definition.issuers[0]?.acceptUntypedTokens).toBe(false);
  });

  it('accepts an http issuer in local mode', () => {
    const definition = validShopDefinition();
    definition.issuers[0] = { ...httpsIssuer, issuer: 'http://127.0.0.1:3002' };

    expect(issuesOf(definition, true)).toEqual([]);
  });

  it.each(failsBecause)('fails because %s', (_why, mutate, path, reason) => {
    const definition = validShopDefinition();
    mutate(definition);

    const issues = issuesOf(definition);

    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.reason).toMatch(reason);
  });

  it('reports every broken rule at once, each with its field', () => {
    const definition = validShopDefinition();
    definition.routes[0] = { ...definition.routes[0]!, service: 'payments' };
    definition.issuers[0] = { ...httpsIssuer, jwksUri: 'http://idp.example.com/jwks' };

    let error: unknown;
    try {
      loadDefinition(definition);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as DefinitionError).code).toBe('definition_invalid');
    expect((error as DefinitionError).issues.map((i) => i.path)).toEqual([
      'issuers.0.jwksUri',
      'routes.0.service',
      // An unknown service has no grants either: both facts are reported.
      'routes.0.downstreamScopes',
    ]);
    expect((error as Error).message).toContain('routes.0.service: names unknown service');
  });
});
