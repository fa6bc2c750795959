/**
 * Refusals of a request that has already been authenticated: the caller
 * sent something the operation cannot take. Token refusals are not here;
 * they are `InvalidTokenError` and `InsufficientScopeError` in `errors.ts`.
 * Each carries the status and the stable `error` code written to the body.
 */
export abstract class RequestError extends Error {
  abstract readonly status: 400 | 404 | 405 | 409;
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One field that failed validation: a dotted path and a reason, never its value. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** The request's path, query or body failed validation: 400 with every failing field. */
export class ValidationError extends RequestError {
  readonly status = 400;
  readonly code = 'invalid_request';

  constructor(readonly fields: readonly FieldIssue[]) {
    super(`invalid request: ${fields.map((field) => field.path).join(', ')}`);
  }
}

/** The addressed resource does not exist, or no route here answers the path: 404. */
export class NotFoundError extends RequestError {
  readonly status = 404;
  readonly code = 'not_found';
}

/** The path exists with other methods only: 405, with the methods it takes. */
export class MethodNotAllowedError extends RequestError {
  readonly status = 405;
  readonly code = 'method_not_allowed';

  constructor(readonly allowed: readonly string[]) {
    super('method not allowed');
  }
}

/** The write clashes with the stored state: 409. */
export class ConflictError extends RequestError {
  readonly status = 409;
  readonly code = 'conflict';
}
