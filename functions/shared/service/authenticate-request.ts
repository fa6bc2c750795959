import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteConfig } from '../definition/schema.js';
import { InsufficientScopeError, InvalidTokenError } from '../errors.js';
import type { AccessTokenVerifier } from '../tokens/access-token-verifier.js';
import type { NarrowTokenVerifier } from '../tokens/narrow-token-verifier.js';
import { readBearerToken } from '../tokens/read-bearer-token.js';

/** Who is calling, once the route's one token has been verified for this service. */
export interface ServiceCaller {
  /** `sub` of the verified token; unique only within `subjectIssuer`. */
  readonly subject: string;
  /**
   * The issuer that vouched for `subject`: the basket is keyed by both,
   * since two issuers may hand out the same `sub`.
   */
  readonly subjectIssuer: string;
  readonly clientId: string | undefined;
  /** The scopes the verified token carries. */
  readonly scopes: readonly string[];
  /** Which kind of token proved it. */
  readonly mode: RouteConfig['mode'];
}

export interface RequestAuthenticatorOptions {
  /** Verifies narrow tokens for this service (exchange routes). */
  readonly narrowTokenVerifier: NarrowTokenVerifier;
  /**
   * Verifies client tokens naming this service's audience (pass-through
   * routes). `undefined`: pass-through routes refuse every token.
   */
  readonly passThroughVerifier: AccessTokenVerifier | undefined;
}

/**
 * The scopes a request on `route` must prove. Exchange routes need the
 * operation's own service scope in the narrow token; pass-through routes
 * carry the client's token, so they need the route's gateway scopes.
 */
export function requiredScopesFor(route: RouteConfig, operationScope: string): readonly string[] {
  return route.mode === 'exchange' ? [operationScope] : route.scopes;
}

/**
 * Authenticates a proxy event for one route, reading only the token that
 * route forwards: the authorizer context's `downstreamToken` on exchange
 * routes (the Authorization header is never a fallback: it holds the
 * client's token, made for the gateway), the Authorization bearer on
 * pass-through routes. Throws `InvalidTokenError`, `InsufficientScopeError`
 * or `DependencyError`.
 */
export function createRequestAuthenticator(options: RequestAuthenticatorOptions) {
  return {
    async authenticate(
      event: APIGatewayProxyEvent,
      route: RouteConfig,
      operationScope: string,
    ): Promise<ServiceCaller> {
      const required = requiredScopesFor(route, operationScope);

      // Exchange: the narrow token API Gateway put in the authorizer context.
      if (route.mode === 'exchange') {
        const token = readDownstreamToken(event);
        const verified = await options.narrowTokenVerifier.verify(token, required);
        return {
          subject: verified.subject,
          subjectIssuer: verified.subjectIssuer,
          clientId: verified.clientId,
          scopes: verified.scopes,
          mode: route.mode,
        };
      }

      // Pass-through: the client's own token, which must name this service.
      const token = readBearerToken(event.headers, event.multiValueHeaders);
      if (!options.passThroughVerifier) {
        throw new InvalidTokenError(
          'token_issuer_not_allowed',
          'no issuer can make pass-through tokens for this service',
          'iss',
        );
      }
      const verified = await options.passThroughVerifier.verify(token);
      const missing = required.filter((scope) => !verified.scopes.includes(scope));
      if (missing.length > 0) throw new InsufficientScopeError(missing);
      return {
        subject: verified.subject,
        // The configured issuer the verifier matched the token's `iss` to.
        subjectIssuer: verified.issuer.issuer,
        clientId: verified.clientId,
        scopes: verified.scopes,
        mode: route.mode,
      };
    },
  };
}

export type RequestAuthenticator = ReturnType<typeof createRequestAuthenticator>;

function readDownstreamToken(event: APIGatewayProxyEvent): string {
  const token: unknown = event.requestContext?.authorizer?.downstreamToken;
  if (typeof token !== 'string' || token === '') {
    throw new InvalidTokenError('token_missing', 'no downstream token in the authorizer context');
  }
  return token;
}
