import {
  FetchError,
  JwkInvalidKtyError,
  JwkInvalidUseError,
  JwksValidationError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import {
  DependencyError,
  type InvalidTokenCode,
  InvalidTokenError,
  NarrowgateError,
} from '../errors.js';
import { JwksFetchError } from './jwks-cache.js';

const tokenErrors: [new (...args: never[]) => Error, InvalidTokenCode, string | undefined][] = [
  [JwtParseError, 'token_malformed', undefined],
  [JwtWithoutValidKidError, 'token_malformed', 'kid'],
  [JwtInvalidSignatureError, 'token_signature_invalid', undefined],
  [JwtInvalidSignatureAlgorithmError, 'token_algorithm_not_allowed', 'alg'],
  [JwkInvalidKtyError, 'token_algorithm_not_allowed', 'alg'],
  [JwkInvalidUseError, 'token_key_unknown', 'kid'],
  [JwtInvalidIssuerError, 'token_issuer_not_allowed', 'iss'],
  [JwtInvalidAudienceError, 'token_audience_not_allowed', 'aud'],
  [JwtExpiredError, 'token_expired', 'exp'],
  [JwtNotBeforeError, 'token_not_yet_valid', 'nbf'],
  [KidNotFoundInJwksError, 'token_key_unknown', 'kid'],
  // The penalty box: this kid was just looked for and not found.
  [WaitPeriodNotYetEndedJwkError, 'token_key_unknown', 'kid'],
];

/**
 * Turns whatever verification threw into narrowgate's error tree:
 * token problems become {@link InvalidTokenError} (401), unreachable or
 * broken key sets a {@link DependencyError} (500). Anything unexpected is
 * passed on unchanged, which callers answer with a 500: fail closed.
 */
export function mapVerifyError(error: unknown): unknown {
  if (error instanceof NarrowgateError) return error;
  for (const [type, code, field] of tokenErrors) {
    if (error instanceof type) {
      return new InvalidTokenError(code, `token refused: ${code}`, field, { cause: error });
    }
  }
  // A multi-issuer verifier names an unknown `iss` a parameter problem.
  if (error instanceof ParameterValidationError && /issuer/i.test(error.message)) {
    return new InvalidTokenError('token_issuer_not_allowed', 'issuer not allowed', 'iss', {
      cause: error,
    });
  }
  if (
    error instanceof JwksFetchError ||
    error instanceof FetchError ||
    error instanceof JwksValidationError
  ) {
    return new DependencyError('jwks_unreachable', 'signing keys unavailable', { cause: error });
  }
  return error;
}
