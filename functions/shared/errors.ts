/**
 * narrowgate's error tree. Every error carries a stable `code` that tests
 * assert and logs record; messages are for people and may change.
 *
 * - {@link InvalidTokenError}: the token is not acceptable here → 401.
 * - {@link InsufficientScopeError}: the token is fine, the scopes are not → 403.
 * - {@link DependencyError}: something we rely on failed → 500, fail closed.
 * Configuration mistakes are not here: they stop a function at start-up
 * (`DefinitionError`, `EnvironmentError`).
 */
export abstract class NarrowgateError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Why a token was refused. Codes are `snake_case` and never hold claim values. */
export type InvalidTokenCode =
  | 'token_missing'
  | 'token_malformed'
  | 'token_too_large'
  | 'token_signature_invalid'
  | 'token_algorithm_not_allowed'
  | 'token_type_not_allowed'
  | 'token_issuer_not_allowed'
  | 'token_audience_not_allowed'
  | 'token_client_not_allowed'
  | 'token_use_not_allowed'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_issued_in_future'
  | 'token_claim_invalid'
  | 'token_key_unknown';

/** The token cannot be accepted at this hop: answer 401 `invalid_token`. */
export class InvalidTokenError extends NarrowgateError {
  readonly status = 401;
  readonly oauthError = 'invalid_token';

  constructor(
    readonly code: InvalidTokenCode,
    message: string,
    /** The claim or header field that failed, when there is one. Never its value. */
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The token lacks a scope the operation needs: answer 403 `insufficient_scope`. */
export class InsufficientScopeError extends NarrowgateError {
  readonly status = 403;
  readonly oauthError = 'insufficient_scope';
  readonly code = 'scope_insufficient';

  constructor(
    /** The scopes that were required and missing. Scope names are not secret. */
    readonly missingScopes: readonly string[],
  ) {
    super(`missing scope: ${missingScopes.join(' ')}`);
  }
}

export type DependencyErrorCode =
  | 'jwks_unreachable'
  | 'exchange_unreachable'
  | 'exchange_failed'
  | 'signing_key_unavailable'
  | 'storage_failed';

/** A dependency failed; the request must fail closed with a 500. */
export class DependencyError extends NarrowgateError {
  readonly status = 500;

  constructor(
    readonly code: DependencyErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
