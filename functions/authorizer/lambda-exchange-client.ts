import { InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { DependencyError } from '../shared/errors.js';
import {
  type TokenExchangeResponse,
  tokenExchangeResponseSchema,
} from '../shared/exchange-protocol.js';
import type { ExchangeClient } from './exchange-client.js';

/** The part of `LambdaClient` this client uses; tests hand in a stub. */
export interface LambdaInvoker {
  send(
    command: InvokeCommand,
    options?: { abortSignal?: AbortSignal },
  ): Promise<InvokeCommandOutput>;
}

export interface LambdaExchangeClientOptions {
  /** A `LambdaClient`, built once per container. */
  readonly lambda: LambdaInvoker;
  /** Name or ARN of the exchange function. */
  readonly functionName: string;
  /**
   * Give up on the exchange after this many milliseconds, retries included.
   * Keep it well under the authorizer's own timeout so the authorizer can
   * still answer 500 itself. @default 2000
   */
  readonly timeoutMs?: number;
}

/**
 * Calls the exchange with a synchronous Lambda Invoke: the RFC 8693 request
 * as the payload, the RFC 8693 answer as the result. IAM authenticates the
 * call; only the authorizer's role may invoke the exchange.
 *
 * A refusal is returned; a failed, timed-out or malformed invocation throws
 * {@link DependencyError} (`exchange_unreachable` or `exchange_failed`).
 */
export function createLambdaExchangeClient(options: LambdaExchangeClientOptions): ExchangeClient {
  const timeoutMs = options.timeoutMs ?? 2000;
  return {
    async exchange(request) {
      let output: InvokeCommandOutput;
      try {
        output = await options.lambda.send(
          new InvokeCommand({
            FunctionName: options.functionName,
            InvocationType: 'RequestResponse',
            Payload: new TextEncoder().encode(JSON.stringify(request)),
          }),
          { abortSignal: AbortSignal.timeout(timeoutMs) },
        );
      } catch (error) {
        // The cause stays on the error for the caller to inspect; the
        // authorizer logs only the code.
        throw new DependencyError('exchange_unreachable', 'exchange could not be invoked', {
          cause: error,
        });
      }

      // An unhandled error inside the exchange: its payload describes the crash.
      if (output.FunctionError !== undefined) {
        throw new DependencyError('exchange_failed', 'exchange function failed');
      }
      return parseResponse(output.Payload);
    },
  };
}

function parseResponse(payload: Uint8Array | undefined): TokenExchangeResponse {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(payload ?? new Uint8Array()));
  } catch {
    throw new DependencyError('exchange_failed', 'exchange answered with invalid JSON');
  }
  const parsed = tokenExchangeResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new DependencyError('exchange_failed', 'exchange answered with an unexpected shape');
  }
  return parsed.data;
}
