import { Token } from 'aws-cdk-lib';
import { loadDefinition } from '../functions/shared/definition/load-definition.js';
import type { Definition, IssuerConfig } from '../functions/shared/definition/schema.js';
import {
  shopExchange,
  shopRoutes,
  shopServices,
} from '../functions/shared/definition/shop-definition.js';
import type { ExternalIssuerConfig } from './stack-config.js';

/**
 * The issuer entries the stack writes into `NARROWGATE_ISSUERS`. Each is
 * checked with the same loader the functions run at start-up, so a flag
 * that would stop every function fails `cdk synth` instead.
 */

/** Name of the user pool's entry; shows in logs and errors. */
export const cognitoIssuerName = 'cognito';

/** An issuer entry and the definition the functions will load with it. */
export interface ValidatedIssuer {
  readonly config: IssuerConfig;
  /** Validated, defaults filled in; ids known only at deploy time are stand-ins. */
  readonly definition: Definition;
}

export interface CognitoIssuerInput {
  readonly region: string;
  readonly urlSuffix: string;
  readonly userPoolId: string;
  /** The resource server's identifier; prefixes every gateway scope. */
  readonly resourceServer: string;
  readonly clientIds: readonly string[];
}

/**
 * The user pool as an issuer. Cognito access tokens carry no `typ` and no
 * `aud`; the dialect checks `token_use`, `client_id` and prefixed scopes.
 */
export function buildCognitoIssuer(input: CognitoIssuerInput): ValidatedIssuer {
  const issuer = `https://cognito-idp.${input.region}.${input.urlSuffix}/${input.userPoolId}`;
  const config: IssuerConfig = {
    name: cognitoIssuerName,
    dialect: 'cognito',
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    algorithms: ['RS256'],
    tokenTypes: [],
    acceptUntypedTokens: true,
    clockLeewaySeconds: 30,
    resourceServer: input.resourceServer,
    clientIds: [...input.clientIds],
  };

  // Validation: tokens stand in for ids known only at deploy time.
  const definition = validateDefinition({
    ...config,
    issuer: untokenUrl(issuer),
    jwksUri: untokenUrl(config.jwksUri),
    clientIds: config.clientIds.map((id) => (Token.isUnresolved(id) ? 'client-id' : id)),
  });
  return { config, definition };
}

/** An external OIDC provider as an issuer, from the `issuer*` flags. */
export function buildExternalIssuer(input: ExternalIssuerConfig): ValidatedIssuer {
  const config = {
    name: 'external',
    dialect: input.dialect,
    issuer: input.issuer,
    jwksUri: input.jwksUri,
    audience: input.audience,
    algorithms: [...input.algorithms],
    tokenTypes: [...input.tokenTypes],
    acceptUntypedTokens: input.acceptUntypedTokens,
    clockLeewaySeconds: 30,
  } as IssuerConfig;
  return { config, definition: validateDefinition(config) };
}

/**
 * The definition the functions will load with this issuer, validated.
 * Throws `DefinitionError` naming every field they would refuse.
 */
export function validateDefinition(issuer: IssuerConfig): Definition {
  return loadDefinition(
    { issuers: [issuer], services: shopServices, routes: shopRoutes, exchange: shopExchange },
    { allowHttp: false },
  );
}

// Region and pool id are tokens in an environment-agnostic stack; the
// schema checks the URL's shape, which the stand-in keeps.
function untokenUrl(url: string): string {
  return Token.isUnresolved(url) ? 'https://cognito-idp.region.amazonaws.com/pool' : url;
}
