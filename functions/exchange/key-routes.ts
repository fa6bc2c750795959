import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Logger } from '../shared/logging/logger.js';
import {
  accessTokenTypeUri,
  narrowTokenAlgorithm,
  tokenExchangeGrantType,
} from '../shared/tokens/narrow-token-profile.js';
import { type KeySource, SigningKeyUnavailableError } from './key-source.js';

/** Where the public keys are served, below the API's stage. */
export const jwksPath = '/.well-known/jwks.json';

/** Where the RFC 8414 metadata is served, below the API's stage. */
export const metadataPath = '/.well-known/oauth-authorization-server';

/**
 * Seconds a JWKS answer may be cached by whoever fetches it. Kept short:
 * a pending key must reach every verifier before it signs (see
 * `keyActivationDelaySeconds`).
 */
export const jwksMaxAgeSeconds = 60;

/** Seconds a key routes container keeps the keys it read from Secrets Manager. */
export const keyRoutesRefreshSeconds = 60;

/**
 * Seconds a new AWSCURRENT waits before the exchange signs with it: long
 * enough for every key routes container to have read it and every
 * `Cache-Control`-honouring cache to have dropped the JWKS without it.
 */
export const keyActivationDelaySeconds = keyRoutesRefreshSeconds + jwksMaxAgeSeconds;

/** The JWKS URL of an issuer: the JWKS route below the issuer URL. */
export function jwksUriOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}${jwksPath}`;
}

/**
 * RFC 8414 metadata of the exchange. There is no `token_endpoint`: the
 * exchange is reached by Lambda Invoke from the authorizer only, never over
 * HTTP by clients. `response_types_supported` is empty for the same reason
 * (no authorization endpoint). The `*_token_types_supported` members are
 * narrowgate's own, naming the only RFC 8693 token type it accepts and
 * issues.
 */
export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    jwks_uri: jwksUriOf(issuer),
    grant_types_supported: [tokenExchangeGrantType],
    response_types_supported: [],
    subject_token_types_supported: [accessTokenTypeUri],
    issued_token_types_supported: [accessTokenTypeUri],
    access_token_signing_alg_values_supported: [narrowTokenAlgorithm],
  };
}

export interface KeyRoutesOptions {
  readonly keys: KeySource;
  /** The exchange's issuer URL, as written into `iss`. */
  readonly issuer: string;
  /** @default no logging */
  readonly logger?: Logger;
}

export interface KeyRoutes {
  /** Answers GET on {@link jwksPath} and {@link metadataPath}; 404 or 405 otherwise. */
  handle(
    event: Pick<APIGatewayProxyEvent, 'httpMethod' | 'path' | 'resource'>,
  ): Promise<APIGatewayProxyResult>;
}

/**
 * The public key routes, free of Lambda specifics: `keys-handler.ts` serves
 * them in AWS, the local stack in process. The JWKS lists the public halves
 * of AWSCURRENT, AWSPREVIOUS and AWSPENDING; without a usable AWSCURRENT it
 * answers 500 rather than a key set that might be missing the signing key.
 */
export function createKeyRoutes(options: KeyRoutesOptions): KeyRoutes {
  const metadata = JSON.stringify(authorizationServerMetadata(options.issuer));

  return {
    async handle(event) {
      // Route: the resource template in AWS, the path in the local stack.
      const path = event.resource || event.path;
      if (path !== jwksPath && path !== metadataPath) {
        return answer(404, { error: 'not_found' }, 'no-store');
      }
      if (event.httpMethod !== 'GET' && event.httpMethod !== 'HEAD') {
        return { ...answer(405, { error: 'method_not_allowed' }, 'no-store'), headers: allow };
      }
      if (path === metadataPath) return answerText(200, metadata, 'public, max-age=3600');

      try {
        const keys = await options.keys.publicKeys();
        return answer(200, { keys }, `public, max-age=${jwksMaxAgeSeconds}`);
      } catch (error) {
        const reason = error instanceof SigningKeyUnavailableError ? error.reason : 'unexpected';
        options.logger?.error('jwks unavailable', { code: 'signing_key_unavailable', reason });
        return answer(500, { error: 'server_error' }, 'no-store');
      }
    },
  };
}

const allow = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  Allow: 'GET, HEAD',
};

function answer(statusCode: number, body: unknown, cacheControl: string): APIGatewayProxyResult {
  return answerText(statusCode, JSON.stringify(body), cacheControl);
}

function answerText(statusCode: number, body: string, cacheControl: string): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': cacheControl },
    body,
  };
}
