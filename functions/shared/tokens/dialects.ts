import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { IssuerConfig } from '../definition/schema.js';
import { InvalidTokenError } from '../errors.js';

/**
 * How each issuer dialect names the client and the scopes. One rule per
 * dialect, never a merge of several claims: a token that spreads its grants
 * over two claims is read by the one claim its issuer is configured for.
 *
 * | dialect | scopes | client |
 * | --- | --- | --- |
 * | oidc | `scope`, space-delimited | `client_id` |
 * | cognito | `scope`, only `<resourceServer>/…`, prefix removed | `client_id` |
 * | entra | `scp`, space-delimited string or array | `azp` (v2), else `appid` (v1) |
 * | auth0 | `permissions`, array | `client_id`, else `azp` |
 * | okta | `scp`, array or space-delimited string | `cid` |
 */
export interface DialectReading {
  readonly clientId: string | undefined;
  readonly scopes: readonly string[];
}

export function readDialect(issuer: IssuerConfig, payload: JwtPayload): DialectReading {
  switch (issuer.dialect) {
    case 'oidc':
      return {
        clientId: stringClaim(payload, 'client_id'),
        scopes: spaceDelimited(payload, 'scope'),
      };
    case 'cognito': {
      const prefix = `${issuer.resourceServer}/`;
      const scopes = spaceDelimited(payload, 'scope')
        .filter((scope) => scope.startsWith(prefix))
        .map((scope) => scope.slice(prefix.length));
      return { clientId: stringClaim(payload, 'client_id'), scopes };
    }
    case 'entra':
      return {
        clientId: stringClaim(payload, 'azp') ?? stringClaim(payload, 'appid'),
        scopes: stringOrArray(payload, 'scp'),
      };
    case 'auth0':
      return {
        clientId: stringClaim(payload, 'client_id') ?? stringClaim(payload, 'azp'),
        scopes: stringArray(payload, 'permissions'),
      };
    case 'okta':
      return { clientId: stringClaim(payload, 'cid'), scopes: stringOrArray(payload, 'scp') };
  }
}

/**
 * Cognito access tokens carry no `aud`; the gateway checks instead that the
 * token is an access token (`token_use`) of an allowed app client.
 */
export function assertCognitoAccessToken(issuer: IssuerConfig, payload: JwtPayload): void {
  if (issuer.dialect !== 'cognito') return;
  if (payload.token_use !== 'access') {
    throw new InvalidTokenError('token_use_not_allowed', 'not a Cognito access token', 'token_use');
  }
  const clientId = stringClaim(payload, 'client_id');
  if (clientId === undefined || !issuer.clientIds.includes(clientId)) {
    throw new InvalidTokenError('token_client_not_allowed', 'app client not allowed', 'client_id');
  }
}

function stringClaim(payload: JwtPayload, name: string): string | undefined {
  const value = payload[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InvalidTokenError('token_claim_invalid', `claim ${name} is not a string`, name);
  }
  return value;
}

function spaceDelimited(payload: JwtPayload, name: string): string[] {
  const value = stringClaim(payload, name);
  return value === undefined ? [] : value.split(' ').filter((scope) => scope !== '');
}

function stringArray(payload: JwtPayload, name: string): string[] {
  const value = payload[name];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new InvalidTokenError('token_claim_invalid', `claim ${name} is not a string array`, name);
  }
  return value;
}

function stringOrArray(payload: JwtPayload, name: string): string[] {
  return Array.isArray(payload[name]) ? stringArray(payload, name) : spaceDelimited(payload, name);
}
