import type { ExchangeErrorCode } from '../shared/exchange-protocol.js';

/**
 * Why the exchange refused, as a stable code for logs and tests. The RFC
 * error code the caller sees is coarser: several reasons share one.
 */
export type RefusalReason =
  | 'request_malformed'
  | 'grant_type_unsupported'
  | 'token_type_unsupported'
  | 'actor_token_unsupported'
  | 'subject_token_refused'
  | 'subject_token_expired'
  | 'subject_act_invalid'
  | 'audience_not_one'
  | 'audience_unknown'
  | 'scope_malformed'
  | 'scope_empty'
  | 'scope_repeated'
  | 'scope_not_granted';

/**
 * The exchange will not mint for this request. Thrown inside the exchange
 * and answered as an RFC 8693 error object; never reaches a caller as a throw.
 */
export class ExchangeRefusedError extends Error {
  override readonly name = 'ExchangeRefusedError';

  constructor(
    /** The RFC 6749 / RFC 8693 code the caller receives. */
    readonly error: ExchangeErrorCode,
    /** The stable reason, logged and asserted by tests. */
    readonly code: RefusalReason,
    /** A short text for the caller; holds field names, never values. */
    readonly description: string,
    options?: ErrorOptions,
  ) {
    super(description, options);
  }
}
