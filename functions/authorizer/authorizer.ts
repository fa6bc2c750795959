import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { Definition, RouteConfig, ServiceConfig } from '../shared/definition/schema.js';
import { DependencyError, InvalidTokenError } from '../shared/errors.js';
import {
  isTokenExchangeError,
  type TokenExchangeRequest,
  type TokenExchangeResponse,
  tokenExchangeResponseSchema,
} from '../shared/exchange-protocol.js';
import { createLogger, type Logger } from '../shared/logging/logger.js';
import type {
  AccessTokenVerifier,
  VerifiedAccessToken,
} from '../shared/tokens/access-token-verifier.js';
import {
  accessTokenTypeUri,
  tokenExchangeGrantType,
} from '../shared/tokens/narrow-token-profile.js';
import { readBearerToken } from '../shared/tokens/read-bearer-token.js';
import { AuthorizerFailedError } from './authorizer-error.js';
import { type DispatchedRoute, findDispatchedRoute } from './dispatched-route.js';
import type { ExchangeClient } from './exchange-client.js';
import { createNarrowTokenCache, type NarrowTokenCache } from './narrow-token-cache.js';
import { buildAllowPolicy, buildDenyPolicy } from './policy.js';

export type { ExchangeClient } from './exchange-client.js';

export interface AuthorizerOptions {
  /** The validated definition: issuers, services and routes. */
  readonly definition: Definition;
  /** Verifies client tokens for the gateway; built once per container. */
  readonly verifier: AccessTokenVerifier;
  /** Reaches the exchange: Lambda Invoke on AWS, in process locally. */
  readonly exchange: ExchangeClient;
  /** Narrow tokens kept for reuse. @default createNarrowTokenCache() */
  readonly cache?: NarrowTokenCache;
  /** @default createLogger('authorizer') */
  readonly logger?: Logger;
}

export interface Authorizer {
  /**
   * Answers one REQUEST authorizer event: an Allow for the dispatched route,
   * a Deny (403), `Error('Unauthorized')` (401), or any other error (500).
   */
  authorize(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult>;
}

/** The exchange refused the subject token itself: the client's token is the problem. */
class SubjectTokenRefusedError extends Error {
  override readonly name = 'SubjectTokenRefusedError';
}

/**
 * The gateway's decision for one request, in this order:
 *
 * 1. the event names one route of the definition, consistently (else 500);
 * 2. the Authorization header holds exactly one Bearer token (else 401);
 * 3. the token verifies for the gateway (else 401; keys unreachable: 500);
 * 4. it holds every gateway scope of the route, byte for byte (else 403);
 * 5. on exchange routes, the exchange mints a narrow token for the route's
 *    service and downstream scopes (refused: 403; subject refused: 401;
 *    unreachable or malformed: 500);
 * 6. Allow for that route's resource only, with the context.
 *
 * No path allows without a verified token, and no exchange route allows
 * without a narrow token: every failure that is not a 401 or a 403 throws.
 *
 * @example
 * const authorizer = createAuthorizer({ definition, verifier, exchange });
 * export const handler = (event) => authorizer.authorize(event);
 */
export function createAuthorizer(options: AuthorizerOptions): Authorizer {
  const { definition, verifier, exchange } = options;
  const cache = options.cache ?? createNarrowTokenCache();
  const logger = options.logger ?? createLogger('authorizer');
  const services = new Map(definition.services.map((service) => [service.name, service]));

  async function decide(event: APIGatewayRequestAuthorizerEvent) {
    // Route first: it needs no token, and a malformed event never reaches the verifier.
    const dispatched = findDispatchedRoute(event, definition.routes);
    const { route } = dispatched;
    const routeName = `${route.method} ${route.path}`;

    // Token
    const token = readBearerToken(event.headers, event.multiValueHeaders);
    const verified = await verifier.verify(token);

    // Gateway scopes
    const missingScopes = route.scopes.filter((scope) => !verified.scopes.includes(scope));
    if (missingScopes.length > 0) {
      logger.warn('denied', {
        route: routeName,
        issuer: verified.issuer.name,
        reason: 'insufficient_scope',
        missingScopes,
      });
      return buildDenyPolicy(verified.subject, dispatched.resourceArn, 'insufficient_scope');
    }

    if (route.mode === 'passthrough') {
      logger.info('allowed', { route: routeName, issuer: verified.issuer.name, mode: route.mode });
      return allow(dispatched, verified, route.scopes.join(' '), undefined);
    }

    // Narrow token
    const service = services.get(route.service);
    if (!service) throw new AuthorizerFailedError('route_unknown');
    const narrow = await narrowTokenFor(token, verified, route, service);
    if (narrow === 'refused') {
      logger.warn('denied', {
        route: routeName,
        issuer: verified.issuer.name,
        reason: 'exchange_refused',
      });
      return buildDenyPolicy(verified.subject, dispatched.resourceArn, 'exchange_refused');
    }
    logger.info('allowed', {
      route: routeName,
      issuer: verified.issuer.name,
      mode: route.mode,
      cached: narrow.cached,
    });
    return allow(dispatched, verified, narrow.scope, narrow.accessToken);
  }

  async function narrowTokenFor(
    subjectToken: string,
    verified: VerifiedAccessToken,
    route: RouteConfig,
    service: ServiceConfig,
  ): Promise<'refused' | { accessToken: string; scope: string; cached: boolean }> {
    const key = { subjectToken, audience: service.audience, scopes: route.downstreamScopes };
    const cached = cache.get(key);
    if (cached) return { accessToken: cached.accessToken, scope: cached.scope, cached: true };

    const response = await callExchange({
      grant_type: tokenExchangeGrantType,
      subject_token: subjectToken,
      subject_token_type: accessTokenTypeUri,
      audience: service.audience,
      scope: route.downstreamScopes.join(' '),
      requested_token_type: accessTokenTypeUri,
    });
    if (isTokenExchangeError(response)) {
      // Only the code: `error_description` is the exchange's free text.
      logger.warn('exchange refused', { exchangeError: response.error });
      if (response.error === 'invalid_request') throw new SubjectTokenRefusedError();
      return 'refused';
    }

    // Granted scopes: never wider than asked, and all the route needs.
    const granted = response.scope.split(' ').filter((scope) => scope !== '');
    if (granted.some((scope) => !route.downstreamScopes.includes(scope))) {
      throw new AuthorizerFailedError('exchange_misbehaved');
    }
    if (route.downstreamScopes.some((scope) => !granted.includes(scope))) return 'refused';

    cache.set(
      key,
      {
        accessToken: response.access_token,
        scope: response.scope,
        expiresInSeconds: response.expires_in,
      },
      verified.expiresAt,
    );
    return { accessToken: response.access_token, scope: response.scope, cached: false };
  }

  async function callExchange(request: TokenExchangeRequest): Promise<TokenExchangeResponse> {
    let response: unknown;
    try {
      response = await exchange.exchange(request);
    } catch (error) {
      if (error instanceof DependencyError) throw error;
      throw new DependencyError('exchange_failed', 'exchange failed', { cause: error });
    }
    // Checked here as well as in the Lambda client: an in-process client
    // answers without any transport that would have validated it.
    const parsed = tokenExchangeResponseSchema.safeParse(response);
    if (!parsed.success) throw new DependencyError('exchange_failed', 'malformed exchange answer');
    return parsed.data;
  }

  function answerFor(error: unknown): Error {
    if (error instanceof InvalidTokenError) {
      // The code and the claim's name, never its value nor the error itself.
      logger.warn('unauthorized', { code: error.code, field: error.field });
      return new Error('Unauthorized');
    }
    if (error instanceof SubjectTokenRefusedError) {
      logger.warn('unauthorized', { code: 'exchange_refused_subject' });
      return new Error('Unauthorized');
    }
    if (error instanceof AuthorizerFailedError) {
      logger.error('failed', { code: error.code });
      return error;
    }
    if (error instanceof DependencyError) {
      logger.error('failed', { code: error.code });
      return new AuthorizerFailedError(error.code);
    }
    // Unexpected: the class name only, since the message may quote a claim.
    logger.error('failed', {
      code: 'internal_error',
      errorName: error instanceof Error ? error.name : typeof error,
    });
    return new AuthorizerFailedError('internal_error');
  }

  return {
    async authorize(event) {
      try {
        return await decide(event);
      } catch (error) {
        throw answerFor(error);
      }
    },
  };
}

function allow(
  dispatched: DispatchedRoute,
  verified: VerifiedAccessToken,
  scopes: string,
  downstreamToken: string | undefined,
): APIGatewayAuthorizerResult {
  return buildAllowPolicy(verified.subject, dispatched.resourceArn, {
    downstreamToken,
    subject: verified.subject,
    clientId: verified.clientId,
    scopes,
    service: dispatched.route.service,
    issuer: verified.issuer.name,
    mode: dispatched.route.mode,
  });
}
