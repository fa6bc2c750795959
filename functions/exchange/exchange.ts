import type { Definition } from '../shared/definition/schema.js';
import { DependencyError, InvalidTokenError } from '../shared/errors.js';
import type { TokenExchangeResponse } from '../shared/exchange-protocol.js';
import type { Logger } from '../shared/logging/logger.js';
import type {
  AccessTokenVerifier,
  VerifiedAccessToken,
} from '../shared/tokens/access-token-verifier.js';
import { accessTokenTypeUri } from '../shared/tokens/narrow-token-profile.js';
import { decideExchange } from './exchange-policy.js';
import { ExchangeRefusedError } from './exchange-refusal.js';
import { parseExchangeRequest } from './exchange-request.js';
import { type KeySource, SigningKeyUnavailableError } from './key-source.js';
import { mintNarrowToken, narrowTokenExpiry } from './mint-narrow-token.js';

/**
 * The exchange could not do its part: the signing key or the subject
 * issuer's keys are unavailable, or something unexpected failed. RFC 6749's
 * `server_error`, outside the four refusal codes on purpose: the authorizer
 * reads an unknown code as a malformed answer and fails closed with a 500,
 * which is what this is. Never a refusal the caller could act on.
 */
export interface TokenExchangeServerError {
  error: 'server_error';
  error_description: string;
}

/** Every answer of the exchange. */
export type ExchangeAnswer = TokenExchangeResponse | TokenExchangeServerError;

export interface ExchangeOptions {
  /** The validated definition: services and the exchange policy. */
  readonly definition: Definition;
  /** The shared client-token verifier, built over `definition.issuers`. */
  readonly verifier: AccessTokenVerifier;
  readonly keys: KeySource;
  /** The `iss` written into narrow tokens: the exchange's issuer URL. */
  readonly issuer: string;
  /** The clock, in milliseconds since the epoch. @default () => Date.now() */
  readonly now?: () => number;
  /** Where refusals and failures are logged, by code. @default no logging */
  readonly logger?: Logger;
}

export interface Exchange {
  /**
   * Answers one RFC 8693 request, already decoded from JSON or a form body.
   * Never throws: bad input is an error object, a failed dependency is
   * `server_error`.
   */
  exchange(request: unknown): Promise<ExchangeAnswer>;
}

/**
 * The token exchange, free of any transport: the Lambda handler calls it
 * with the Invoke payload, the local stack with a parsed HTTP body.
 *
 * Steps, in this order so that nothing about the targets is told to a
 * caller without a valid subject token: the request's shape; the subject
 * token, verified again by the shared verifier (an unacceptable one is
 * `invalid_request`, RFC 8693 §2.2.2); the policy (`invalid_target`,
 * `invalid_scope`); the lifetime; the signing key; the mint.
 * `unauthorized_client` is never answered here: the caller is
 * authenticated by IAM before its request arrives.
 *
 * @example
 * const exchange = createExchange({ definition, verifier, keys, issuer });
 * const answer = await exchange.exchange(JSON.parse(body));
 */
export function createExchange(options: ExchangeOptions): Exchange {
  const { definition, verifier, keys, issuer, logger } = options;
  // The global clock at each call, the one the subject's verifier reads.
  const now = options.now ?? (() => Date.now());

  async function mint(input: unknown) {
    const request = parseExchangeRequest(input);
    const subject = await verifySubject(verifier, request.subject_token);
    const priorActor = readPriorActor(subject);
    const grant = decideExchange(definition, request.audience, request.scope, subject.scopes);

    // Lifetime: never beyond the subject token's own.
    const issuedAt = Math.floor(now() / 1000);
    const expiresAt = narrowTokenExpiry(
      issuedAt,
      definition.exchange.tokenLifetimeSeconds,
      subject.expiresAt,
    );
    const expiresIn = expiresAt - issuedAt;
    if (expiresIn <= 0) {
      throw new ExchangeRefusedError(
        'invalid_request',
        'subject_token_expired',
        'subject token has expired',
      );
    }

    // Signing.
    const key = await keys.signingKey();
    const accessToken = await mintNarrowToken(
      {
        issuer,
        subject: subject.subject,
        // The issuer the verifier matched `iss` to, never a field of the request.
        subjectIssuer: subject.issuer.issuer,
        clientId: subject.clientId,
        audience: grant.service.audience,
        scopes: grant.scopes,
        actor: definition.exchange.actor,
        priorActor,
        issuedAt,
        expiresAt,
      },
      key,
    );
    const scope = grant.scopes.join(' ');
    logger?.info('token exchanged', {
      service: grant.service.name,
      scope,
      kid: key.kid,
      expires_in: expiresIn,
    });
    return {
      access_token: accessToken,
      issued_token_type: accessTokenTypeUri,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope,
    } as const;
  }

  return {
    async exchange(input) {
      try {
        return await mint(input);
      } catch (error) {
        return answerFailure(error, logger);
      }
    },
  };
}

async function verifySubject(
  verifier: AccessTokenVerifier,
  token: string,
): Promise<VerifiedAccessToken> {
  try {
    return await verifier.verify(token);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    const expired = error.code === 'token_expired';
    throw new ExchangeRefusedError(
      'invalid_request',
      expired ? 'subject_token_expired' : 'subject_token_refused',
      expired ? 'subject token has expired' : 'subject token is not acceptable',
      { cause: error },
    );
  }
}

/** The subject's own `act`, which RFC 8693 §4.1 makes a JSON object. */
function readPriorActor(subject: VerifiedAccessToken): Record<string, unknown> | undefined {
  const act = subject.payload.act;
  if (act === undefined) return undefined;
  if (typeof act !== 'object' || act === null || Array.isArray(act)) {
    throw new ExchangeRefusedError(
      'invalid_request',
      'subject_act_invalid',
      'subject token act claim is not an object',
    );
  }
  return act as Record<string, unknown>;
}

function answerFailure(error: unknown, logger: Logger | undefined): ExchangeAnswer {
  if (error instanceof ExchangeRefusedError) {
    const cause = error.cause instanceof InvalidTokenError ? error.cause : undefined;
    logger?.warn('exchange refused', {
      code: error.code,
      error: error.error,
      ...(cause ? { subject_error: cause.code, claim: cause.field } : {}),
    });
    return { error: error.error, error_description: error.description };
  }

  // Fail closed: no key, no issuer keys, or a fault of ours.
  if (error instanceof SigningKeyUnavailableError) {
    logger?.error('signing key unavailable', { code: error.code, reason: error.reason });
  } else if (error instanceof DependencyError) {
    logger?.error('exchange dependency failed', { code: error.code });
  } else {
    logger?.error('exchange failed', {
      code: 'exchange_internal',
      error_name: error instanceof Error ? error.name : typeof error,
    });
  }
  return { error: 'server_error', error_description: 'the exchange is unavailable' };
}

/**
 * The HTTP status for an answer, for a transport that speaks HTTP (the
 * local stack): 200, 400 for a refusal (RFC 6749 §5.2), 500 for
 * `server_error`.
 */
export function exchangeHttpStatus(answer: ExchangeAnswer): 200 | 400 | 500 {
  if (!('error' in answer)) return 200;
  return answer.error === 'server_error' ? 500 : 400;
}
