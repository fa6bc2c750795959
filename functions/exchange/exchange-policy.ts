import type { Definition, ServiceConfig } from '../shared/definition/schema.js';
import { ExchangeRefusedError } from './exchange-refusal.js';

/** What the policy lets the exchange mint: one service, these scopes. */
export interface ExchangeGrant {
  readonly service: ServiceConfig;
  /** Granted service scopes, in the order they were requested. */
  readonly scopes: readonly string[];
}

/**
 * Every service scope of `service` that the definition's grants open to a
 * subject holding `subjectScopes` (gateway scopes). The most a narrow token
 * for that service may ever carry.
 */
export function allowedScopes(
  definition: Definition,
  serviceName: string,
  subjectScopes: readonly string[],
): Set<string> {
  const allowed = new Set<string>();
  for (const grant of definition.exchange.grants) {
    if (grant.service !== serviceName || !subjectScopes.includes(grant.gatewayScope)) continue;
    for (const scope of grant.scopes) allowed.add(scope);
  }
  return allowed;
}

/**
 * Applies the exchange policy: the audience names a known service and every
 * requested scope is opened by a gateway scope the subject holds. All or
 * nothing: a request with one scope too many is refused whole, because a
 * narrower token than asked for would only fail later, at the service, and
 * hide the cause.
 *
 * Decisions, each refused rather than repaired:
 * - `audience` is a service's `audience` exactly; its `name` is not
 *   accepted, so one target has one spelling in requests, tokens and logs
 *   (`invalid_target`);
 * - an empty `scope` is `invalid_scope`: the exchange never picks scopes for
 *   the caller;
 * - a repeated scope is `invalid_scope`: the caller that sends one is
 *   confused about what it asks for, and a token should hold what was asked.
 *
 * @throws ExchangeRefusedError
 */
export function decideExchange(
  definition: Definition,
  audience: string,
  scope: string,
  subjectScopes: readonly string[],
): ExchangeGrant {
  // Target.
  const service = definition.services.find((s) => s.audience === audience);
  if (!service) {
    throw new ExchangeRefusedError('invalid_target', 'audience_unknown', 'unknown audience');
  }

  // Requested scopes.
  const requested = scope.split(' ').filter((s) => s !== '');
  if (requested.length === 0) {
    throw new ExchangeRefusedError('invalid_scope', 'scope_empty', 'scope must not be empty');
  }
  if (new Set(requested).size !== requested.length) {
    throw new ExchangeRefusedError('invalid_scope', 'scope_repeated', 'scope repeats a value');
  }

  // Grants: every scope, or none.
  const allowed = allowedScopes(definition, service.name, subjectScopes);
  if (!requested.every((s) => allowed.has(s))) {
    throw new ExchangeRefusedError(
      'invalid_scope',
      'scope_not_granted',
      'scope exceeds what the subject token allows',
    );
  }
  return { service, scopes: requested };
}
