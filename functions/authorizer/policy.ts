import type { APIGatewayAuthorizerResult } from 'aws-lambda';

/**
 * What the authorizer hands to API Gateway and, through
 * `requestContext.authorizer`, to the service. Values are strings only:
 * API Gateway refuses objects and arrays in the context.
 */
export interface AllowContext {
  /** The narrow token for the route's service; absent on pass-through routes. */
  readonly downstreamToken?: string;
  readonly subject: string;
  /** Absent when the token names no client. */
  readonly clientId?: string;
  /** Space-delimited: scopes of the narrow token, or the route's gateway scopes on pass-through. */
  readonly scopes: string;
  readonly service: string;
  /** The issuer's name in the definition, not its URL. */
  readonly issuer: string;
  readonly mode: 'exchange' | 'passthrough';
}

/** Why a verified token was refused; the gateway response reads `error`. */
export type DenyReason = 'insufficient_scope' | 'exchange_refused';

/**
 * An Allow for exactly one resource: the dispatched route's method and
 * pattern. Never a wildcard for the API: API Gateway caches the policy, and
 * a wider one would open every route it names for the cache's lifetime.
 */
export function buildAllowPolicy(
  principalId: string,
  resourceArn: string,
  context: AllowContext,
): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: statementFor('Allow', resourceArn),
    context: withoutUndefined({ ...context }),
  };
}

/**
 * A Deny for the route, answered by API Gateway with 403. The context feeds
 * the `ACCESS_DENIED` gateway response (`WWW-Authenticate` with
 * `error="insufficient_scope"`).
 */
export function buildDenyPolicy(
  principalId: string,
  resourceArn: string,
  reason: DenyReason,
): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: statementFor('Deny', resourceArn),
    context: { reason, error: 'insufficient_scope' },
  };
}

function statementFor(effect: 'Allow' | 'Deny', resourceArn: string) {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: [resourceArn] }],
  };
}

function withoutUndefined(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
