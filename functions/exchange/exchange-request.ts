import {
  type TokenExchangeRequest,
  tokenExchangeRequestSchema,
} from '../shared/exchange-protocol.js';
import { ExchangeRefusedError } from './exchange-refusal.js';

/** Longest `scope` accepted, in characters: far above any route's needs. */
export const maxScopeLength = 1024;

/** Longest `audience` accepted, in characters. */
export const maxAudienceLength = 512;

// RFC 6749 §3.3: scope tokens of visible ASCII but space, `"` and `\`, one space apart.
const scopeSyntax = /^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/;

/**
 * Checks the shape of an RFC 8693 request, already decoded from JSON or a
 * form body, and returns it typed. Throws {@link ExchangeRefusedError}:
 *
 * - `invalid_request` for a missing or mistyped field, a grant type other
 *   than token exchange (RFC 6749 would say `unsupported_grant_type`; the
 *   protocol shared with the authorizer keeps to four codes), a subject or
 *   requested token type other than an access token, an `actor_token` (the
 *   actor is always the gateway, never the caller's say), or a `scope` that
 *   is not space-separated scope tokens;
 * - `invalid_target` for more than one audience, or a `resource`: the
 *   exchange names its targets by audience only.
 *
 * An empty `scope` passes here and is refused by the policy.
 */
export function parseExchangeRequest(input: unknown): TokenExchangeRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw refuse('request_malformed', 'request must be a JSON object');
  }
  const fields = input as Record<string, unknown>;

  // Unsupported parameters: refused, never silently ignored.
  if (fields.actor_token !== undefined || fields.actor_token_type !== undefined) {
    throw refuse('actor_token_unsupported', 'actor_token is not supported');
  }
  if (fields.resource !== undefined || Array.isArray(fields.audience)) {
    throw new ExchangeRefusedError(
      'invalid_target',
      'audience_not_one',
      'name exactly one target, by audience',
    );
  }

  // Shape: the schema shared with the authorizer.
  const parsed = tokenExchangeRequestSchema.safeParse(input);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'request');
    if (field === 'grant_type') {
      throw refuse('grant_type_unsupported', 'grant_type must be token exchange');
    }
    if (field === 'subject_token_type' || field === 'requested_token_type') {
      throw refuse('token_type_unsupported', `${field} must be an access token`);
    }
    throw refuse('request_malformed', `${field} is missing or invalid`);
  }
  const request = parsed.data;

  // Sizes and scope syntax.
  if (request.audience.length > maxAudienceLength) {
    throw refuse('request_malformed', 'audience is too long');
  }
  if (request.scope.length > maxScopeLength) {
    throw refuse('scope_malformed', 'scope is too long');
  }
  if (request.scope !== '' && !scopeSyntax.test(request.scope)) {
    throw refuse('scope_malformed', 'scope must be scope tokens separated by single spaces');
  }
  return request;
}

function refuse(
  code: ConstructorParameters<typeof ExchangeRefusedError>[1],
  description: string,
): ExchangeRefusedError {
  return new ExchangeRefusedError('invalid_request', code, description);
}
