import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { RouteConfig } from '../shared/definition/schema.js';
import { findRouteByTemplate } from '../shared/routes/match-route.js';
import { parsePathTemplate, toResourcePattern } from '../shared/routes/path-template.js';
import { AuthorizerFailedError } from './authorizer-error.js';

/** The route API Gateway dispatched a request to, and the one resource it may allow. */
export interface DispatchedRoute {
  readonly route: RouteConfig;
  /**
   * `arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATTERN`, where the
   * pattern is the route's template with `{param}` and `{proxy+}` as `*`.
   */
  readonly resourceArn: string;
}

// arn:PARTITION:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATH
const methodArnPattern = /^(arn:[^:]+:execute-api:[^:]+:[^:]+):([^:/]+)\/([^/]+)\/([^/]+)\/(.*)$/;

/**
 * Finds the route by the template API Gateway dispatched (`resource`) and
 * the method, never by reading the raw path again: API Gateway has already
 * decided which route this is, and a second reading could disagree with it.
 *
 * The event must agree with itself: the method of `httpMethod`,
 * `requestContext.httpMethod` and the method ARN, and the template of
 * `resource` and `requestContext.resourcePath`, and the API and stage of
 * the method ARN and the request context. The authorizer result is cached
 * per these identity sources, so a disagreement could make one route's
 * decision stand for another; it fails closed.
 *
 * @throws {AuthorizerFailedError} `event_inconsistent`, or `route_unknown`
 * when the definition holds no such route (a deploy that does not match
 * the definition: a 500, so that no client is told it lacks a scope or a
 * valid token when the fault is ours).
 */
export function findDispatchedRoute(
  event: APIGatewayRequestAuthorizerEvent,
  routes: readonly RouteConfig[],
): DispatchedRoute {
  const arn = methodArnPattern.exec(event.methodArn ?? '');
  const context = event.requestContext;
  if (
    !arn ||
    typeof event.httpMethod !== 'string' ||
    typeof event.resource !== 'string' ||
    arn[4] !== event.httpMethod ||
    context?.httpMethod !== event.httpMethod ||
    context.resourcePath !== event.resource ||
    context.apiId !== arn[2] ||
    context.stage !== arn[3]
  ) {
    throw new AuthorizerFailedError('event_inconsistent');
  }

  const route = findRouteByTemplate(routes, event.httpMethod, event.resource);
  if (!route) throw new AuthorizerFailedError('route_unknown');

  const pattern = toResourcePattern(parsePathTemplate(route.path));
  return { route, resourceArn: `${arn[1]}:${arn[2]}/${arn[3]}/${route.method}/${pattern}` };
}
