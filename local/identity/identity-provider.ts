import Provider, { errors } from 'oidc-provider';
import type { IssuerConfig } from '../../functions/shared/definition/schema.js';
import {
  type ShopClient,
  shopClients,
  shopGatewayAudience,
  shopGatewayScopes,
} from '../../functions/shared/definition/shop-definition.js';
import { listenBeforeServing, type RunningServer } from '../http/listen.js';
import { localClientSecrets } from './local-clients.js';
import { generateLocalSigningKey } from './signing-key.js';
import { createTestTokenSigner, type TestTokenSigner } from './test-token-signer.js';

/** Lifetime of the local provider's access tokens, in seconds. */
export const localAccessTokenLifetimeSeconds = 3600;

/** The running local OpenID provider. */
export interface LocalIdentityProvider extends RunningServer {
  /** The exact `iss` of its tokens, e.g. `http://127.0.0.1:3002`. */
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /** This provider as one entry of `NARROWGATE_ISSUERS`. */
  readonly issuerConfig: IssuerConfig;
  /** A client-credentials token for `client`, for every scope it may ask for unless narrowed. */
  fetchToken(client: ShopClient, scopes?: readonly string[]): Promise<string>;
  /** Test-only tokens; see {@link TestTokenSigner}. In process only. */
  readonly testTokens: TestTokenSigner;
}

/**
 * A real OpenID provider (oidc-provider, certified) on 127.0.0.1 that issues
 * client-credentials access tokens as RFC 9068 JWTs (`typ: at+jwt`) for one
 * resource, the gateway: `aud` is the gateway's audience and `scope` the
 * requested gateway scopes the client is registered for. Signing key: ES256,
 * made at start.
 *
 * @param port 0 picks a free port.
 */
export async function startIdentityProvider(port: number): Promise<LocalIdentityProvider> {
  // Bind first: the issuer URL must name the port before the provider exists.
  const { serve, ...running } = await listenBeforeServing(port);
  const issuer = running.url;
  const key = await generateLocalSigningKey();

  const provider = new Provider(issuer, {
    clients: Object.entries(shopClients).map(([clientId, scopes]) => ({
      client_id: clientId,
      client_secret: localClientSecrets[clientId as ShopClient],
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: scopes.join(' '),
    })),
    jwks: { keys: [key.privateJwk] },
    // Known scopes: a client asking for one it is not registered for gets invalid_scope.
    scopes: [...shopGatewayScopes],
    clientDefaults: { id_token_signed_response_alg: key.alg },
    ttl: { ClientCredentials: localAccessTokenLifetimeSeconds },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: false },
      revocation: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // A request without `resource` is for the gateway, the only resource here.
        defaultResource: async () => shopGatewayAudience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          if (indicator !== shopGatewayAudience) throw new errors.InvalidTarget();
          return {
            scope: shopGatewayScopes.join(' '),
            audience: shopGatewayAudience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: localAccessTokenLifetimeSeconds,
            jwt: { sign: { alg: key.alg } },
          };
        },
      },
    },
  });
  serve(provider.callback());

  const tokenEndpoint = `${issuer}/token`;
  const issuerConfig: IssuerConfig = {
    name: 'local-oidc',
    issuer,
    jwksUri: `${issuer}/jwks`,
    dialect: 'oidc',
    algorithms: [key.alg],
    tokenTypes: ['at+jwt'],
    acceptUntypedTokens: false,
    clockLeewaySeconds: 30,
    audience: shopGatewayAudience,
  };

  return {
    ...running,
    issuer,
    tokenEndpoint,
    jwksUri: issuerConfig.jwksUri,
    issuerConfig,
    testTokens: createTestTokenSigner(issuer, key),
    fetchToken: (client, scopes = shopClients[client]) =>
      fetchClientCredentialsToken(tokenEndpoint, client, localClientSecrets[client], scopes),
  };
}

/**
 * The client-credentials grant (RFC 6749 §4.4) with `client_secret_basic`;
 * also how the smoke runner gets tokens from a deployed stack's token URL.
 */
export async function fetchClientCredentialsToken(
  tokenEndpoint: string,
  clientId: string,
  clientSecret: string,
  scopes: readonly string[],
  resource?: string,
): Promise<string> {
  // No scope leaves the choice to the provider: Cognito then grants all the client's scopes.
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scopes.length > 0) body.set('scope', scopes.join(' '));
  if (resource) body.set('resource', resource);
  const basic = Buffer.from(
    `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
  ).toString('base64');
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${basic}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body,
  });
  const answer = (await response.json()) as { access_token?: unknown; error?: unknown };
  if (!response.ok || typeof answer.access_token !== 'string') {
    // The error code only: the answer could echo what was sent.
    throw new Error(
      `token endpoint refused ${clientId}: ${String(answer.error ?? response.status)}`,
    );
  }
  return answer.access_token;
}
