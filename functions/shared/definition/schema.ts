import * as z from '../config/schema-library.js';

/**
 * The shape of narrowgate's one definition: issuers, services, routes and
 * the exchange policy. This file holds field-level rules only; the rules that
 * relate fields to each other (a route names a known service, a policy never
 * widens) live in `cross-checks.ts`.
 */

/** Asymmetric algorithms aws-jwt-verify can check; `none` and HMAC never. */
export const signatureAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type SignatureAlgorithm = (typeof signatureAlgorithms)[number];

/** How an issuer spells audience, client and scopes; see `dialects.ts`. */
export const dialects = ['oidc', 'cognito', 'entra', 'auth0', 'okta'] as const;
export type Dialect = (typeof dialects)[number];

export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof httpMethods)[number];

/** Longest narrow-token lifetime the definition accepts, in seconds. */
export const maxNarrowTokenLifetimeSeconds = 3600;

/** Largest clock leeway an issuer may be given, in seconds. */
export const maxClockLeewaySeconds = 300;

const nonBlank = z.string().check(
  z.minLength(1, 'must not be empty'),
  z.refine((value) => value.trim() === value, 'must not start or end with white space'),
);

/** A scope name: visible ASCII without spaces or quotes (RFC 6749 §3.3). */
const scopeName = z
  .string()
  .check(
    z.regex(
      /^[\x21\x23-\x5B\x5D-\x7E]+$/,
      'must be a scope token: visible ASCII, no space or quote',
    ),
  );

const uniqueScopes = z.refine<string[]>(
  (scopes) => new Set(scopes).size === scopes.length,
  'must not repeat a scope',
);

/** A list of scopes, none repeated and at least one, `minMessage` saying so. */
const scopeList = (minMessage: string) =>
  z.array(scopeName).check(uniqueScopes, z.minLength(1, minMessage));

const serviceName = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes'));

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const issuerFields = {
  /** A short name for logs and errors, e.g. `cognito` or `local-oidc`. */
  name: serviceName,
  /** The exact `iss` value the issuer writes into its tokens. */
  issuer: url,
  /** Where the issuer publishes its signing keys. */
  jwksUri: url,
  /** Algorithms accepted from this issuer; an allow-list. */
  algorithms: z
    .array(z.enum(signatureAlgorithms))
    .check(z.minLength(1, 'must allow at least one algorithm')),
  /** Values of the JOSE `typ` header accepted, compared exactly, e.g. `at+jwt`. */
  tokenTypes: z._default(z.array(nonBlank), []),
  /**
   * Accept tokens with no `typ` header at all. Cognito and Okta send none;
   * for them the dialect's own claim checks tell an access token apart.
   * @default false
   */
  acceptUntypedTokens: z._default(z.boolean(), false),
  /** Seconds of clock skew allowed on `exp`, `nbf` and `iat`. @default 30 */
  clockLeewaySeconds: z._default(
    z.number().check(z.int(), z.minimum(0), z.maximum(maxClockLeewaySeconds)),
    30,
  ),
};

const audienceIssuer = z.object({
  ...issuerFields,
  dialect: z.enum(['oidc', 'entra', 'auth0', 'okta']),
  /** The gateway's audience: `aud` (string or array) must contain it. */
  audience: nonBlank,
});

const cognitoIssuer = z.object({
  ...issuerFields,
  dialect: z.literal('cognito'),
  /** Identifier of the gateway's resource server; its prefix marks our scopes. */
  resourceServer: nonBlank,
  /** App client ids whose access tokens the gateway accepts. */
  clientIds: z.array(nonBlank).check(z.minLength(1, 'must allow at least one app client')),
});

export const issuerSchema = z.discriminatedUnion('dialect', [audienceIssuer, cognitoIssuer]).check(
  z.refine((issuer) => issuer.tokenTypes.length > 0 || issuer.acceptUntypedTokens, {
    message: 'must accept at least one token type, or untyped tokens',
    path: ['tokenTypes'],
  }),
);

export const serviceSchema = z.object({
  name: serviceName,
  /** The only `aud` a token for this service carries. */
  audience: nonBlank,
  /** The scopes this service understands in a token made for it. */
  scopes: scopeList('must list at least one scope'),
});

export const routeSchema = z.object({
  method: z.enum(httpMethods),
  /** A path template: `/a/{param}/b`, with an optional final `{proxy+}`. */
  path: z.string(),
  /** Gateway scopes the client token must carry, all of them. */
  scopes: scopeList('must require at least one gateway scope'),
  service: serviceName,
  /** Scopes asked of the exchange for the narrow token. */
  downstreamScopes: scopeList('must request at least one downstream scope'),
  /**
   * `exchange` (default) swaps the client token for a narrow one;
   * `passthrough` forwards the client token, which must then name the
   * service's audience.
   */
  mode: z._default(z.enum(['exchange', 'passthrough']), 'exchange'),
});

export const grantSchema = z.object({
  /** The gateway scope the subject token must hold. */
  gatewayScope: scopeName,
  /** The service the downstream scopes belong to. */
  service: serviceName,
  /** Downstream scopes that gateway scope may become. */
  scopes: scopeList('must grant at least one scope'),
});

export const exchangeSchema = z.object({
  /** Lifetime of a narrow token, in seconds; capped by the subject's `exp`. */
  tokenLifetimeSeconds: z
    .number()
    .check(
      z.int(),
      z.minimum(1, 'must be at least one second'),
      z.maximum(
        maxNarrowTokenLifetimeSeconds,
        `must be at most ${maxNarrowTokenLifetimeSeconds} seconds`,
      ),
    ),
  /** The gateway's identity, written as `act.sub` in every narrow token. */
  actor: nonBlank,
  grants: z.array(grantSchema).check(z.minLength(1, 'must hold at least one grant')),
});

export const definitionSchema = z.object({
  issuers: z.array(issuerSchema).check(z.minLength(1, 'must hold at least one issuer')),
  services: z.array(serviceSchema).check(z.minLength(1, 'must hold at least one service')),
  routes: z.array(routeSchema).check(z.minLength(1, 'must hold at least one route')),
  exchange: exchangeSchema,
});

export type IssuerConfig = z.infer<typeof issuerSchema>;
export type CognitoIssuerConfig = z.infer<typeof cognitoIssuer>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
export type GrantConfig = z.infer<typeof grantSchema>;
export type ExchangePolicy = z.infer<typeof exchangeSchema>;
export type Definition = z.infer<typeof definitionSchema>;

/** The definition as written, before defaults are filled in. */
export type DefinitionInput = z.input<typeof definitionSchema>;
