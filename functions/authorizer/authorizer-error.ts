import { type DependencyErrorCode, NarrowgateError } from '../shared/errors.js';

/** Why the authorizer failed closed with a 500 rather than answering 401 or 403. */
export type AuthorizerFailureCode =
  | DependencyErrorCode
  /** The event contradicts itself (method or resource differ between its fields). */
  | 'event_inconsistent'
  /** API Gateway dispatched a route the definition does not hold: a deploy mismatch. */
  | 'route_unknown'
  /** The exchange answered with a token or scopes the authorizer did not ask for. */
  | 'exchange_misbehaved'
  /** Anything unexpected; a bug, answered closed. */
  | 'internal_error';

/**
 * What the authorizer throws for a 500. It carries a code and a fixed
 * message, never a `cause`: whatever the runtime prints of it holds no claim
 * values, which aws-jwt-verify's own messages may.
 */
export class AuthorizerFailedError extends NarrowgateError {
  readonly status = 500;

  constructor(readonly code: AuthorizerFailureCode) {
    super(`authorizer failed: ${code}`);
  }
}
