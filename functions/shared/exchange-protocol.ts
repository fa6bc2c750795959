/**
 * The RFC 8693 token exchange messages as they travel between the authorizer
 * and the exchange. One definition for both sides, so a field renamed on one
 * side fails the type check on the other instead of failing in production.
 */
import * as z from './config/schema-library.js';
import { accessTokenTypeUri, tokenExchangeGrantType } from './tokens/narrow-token-profile.js';

/** Error codes the exchange may answer with (RFC 8693 §2.2.2, RFC 6749 §5.2). */
export const exchangeErrorCodes = [
  'invalid_request',
  'invalid_target',
  'invalid_scope',
  'unauthorized_client',
] as const;

/** One of {@link exchangeErrorCodes}. */
export type ExchangeErrorCode = (typeof exchangeErrorCodes)[number];

/**
 * What the authorizer asks the exchange for (RFC 8693 §2.1), as a JSON object
 * rather than a form body because it travels as a Lambda Invoke payload.
 */
export interface TokenExchangeRequest {
  grant_type: typeof tokenExchangeGrantType;
  /** The client's access token, already verified by the authorizer. */
  subject_token: string;
  subject_token_type: typeof accessTokenTypeUri;
  /** The downstream service's audience: exactly one. */
  audience: string;
  /** Space-delimited downstream scopes the route needs. */
  scope: string;
  /** Defaults to an access token when absent. */
  requested_token_type?: typeof accessTokenTypeUri;
}

/** A successful exchange (RFC 8693 §2.2.1). */
export interface TokenExchangeSuccess {
  access_token: string;
  issued_token_type: typeof accessTokenTypeUri;
  token_type: 'Bearer';
  /** Lifetime of `access_token` in seconds from the moment it was issued. */
  expires_in: number;
  /** Space-delimited scopes actually granted; never wider than requested. */
  scope: string;
}

/** A refused exchange (RFC 8693 §2.2.2). */
export interface TokenExchangeError {
  error: ExchangeErrorCode;
  /** Human-readable, for logs of the exchange only; never holds token contents. */
  error_description?: string;
}

/** Either answer of the exchange. */
export type TokenExchangeResponse = TokenExchangeSuccess | TokenExchangeError;

/** Schema of a successful answer; rejects empty tokens and non-positive lifetimes. */
export const tokenExchangeSuccessSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  issued_token_type: z.literal(accessTokenTypeUri),
  token_type: z.literal('Bearer'),
  expires_in: z.number().check(z.int(), z.positive()),
  scope: z.string(),
});

/** Schema of a refusal; an unknown error code is malformed, not a refusal. */
export const tokenExchangeErrorSchema = z.object({
  error: z.enum(exchangeErrorCodes),
  error_description: z.optional(z.string()),
});

/** Schema of any answer of the exchange. */
export const tokenExchangeResponseSchema = z.union([
  tokenExchangeSuccessSchema,
  tokenExchangeErrorSchema,
]);

/** Schema of a request, for the exchange to validate what it receives. */
export const tokenExchangeRequestSchema = z.object({
  grant_type: z.literal(tokenExchangeGrantType),
  subject_token: z.string().check(z.minLength(1)),
  subject_token_type: z.literal(accessTokenTypeUri),
  audience: z.string().check(z.minLength(1)),
  scope: z.string(),
  requested_token_type: z.optional(z.literal(accessTokenTypeUri)),
});

/** Tells a refusal from a success. */
export function isTokenExchangeError(
  response: TokenExchangeResponse,
): response is TokenExchangeError {
  return 'error' in response;
}
