import type { InvokeCommand, InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { describe, expect, it, vi } from 'vitest';
import {
  createLambdaExchangeClient,
  type LambdaInvoker,
} from '../../functions/authorizer/lambda-exchange-client.js';
import { DependencyError } from '../../functions/shared/errors.js';
import type { TokenExchangeRequest } from '../../functions/shared/exchange-protocol.js';
import { rejectionOf } from './harness.js';

const request: TokenExchangeRequest = {
  grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
  subject_token: 'subject.token.value',
  subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
  audience: 'urn:narrowgate:service:catalog',
  scope: 'catalog:read',
};

const granted = {
  access_token: 'narrow.token.value',
  issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
  token_type: 'Bearer',
  expires_in: 300,
  scope: 'catalog:read',
};

function payloadOf(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** A stubbed LambdaClient: the SDK object is replaced, never the network. */
function stubLambda(answer: (command: InvokeCommand) => Promise<Record<string, unknown>>) {
  const send = vi.fn(
    async (command: InvokeCommand, _options?: { abortSignal?: AbortSignal }) =>
      (await answer(command)) as unknown as InvokeCommandOutput,
  );
  return { lambda: { send } satisfies LambdaInvoker, send };
}

describe('the Lambda exchange client', () => {
  it('invokes the exchange synchronously with the RFC 8693 request', async () => {
    const { lambda, send } = stubLambda(async () => ({
      StatusCode: 200,
      Payload: payloadOf(granted),
    }));
    const client = createLambdaExchangeClient({ lambda, functionName: 'narrowgate-exchange' });

    const response = await client.exchange(request);

    expect(response).toEqual(granted);
    const [command, options] = send.mock.calls[0]!;
    expect(command.input.FunctionName).toBe('narrowgate-exchange');
    expect(command.input.InvocationType).toBe('RequestResponse');
    expect(JSON.parse(new TextDecoder().decode(command.input.Payload as Uint8Array))).toEqual(
      request,
    );
    expect(options?.abortSignal).toBeInstanceOf(AbortSignal);
  });

  it('returns a refusal as an answer', async () => {
    const refusal = { error: 'invalid_target', error_description: 'no such audience' };
    const { lambda } = stubLambda(async () => ({ StatusCode: 200, Payload: payloadOf(refusal) }));
    const client = createLambdaExchangeClient({ lambda, functionName: 'x' });

    expect(await client.exchange(request)).toEqual(refusal);
  });

  it.each([
    [
      'the function failed',
      { StatusCode: 200, FunctionError: 'Unhandled', Payload: payloadOf({}) },
    ],
    ['the payload is not JSON', { StatusCode: 200, Payload: new TextEncoder().encode('<html>') }],
    ['the payload is another shape', { StatusCode: 200, Payload: payloadOf({ token: 'x' }) }],
    ['an unknown error code', { StatusCode: 200, Payload: payloadOf({ error: 'server_error' }) }],
    ['there is no payload', { StatusCode: 200 }],
  ])('throws exchange_failed when %s', async (_name, output) => {
    const { lambda } = stubLambda(async () => output);
    const client = createLambdaExchangeClient({ lambda, functionName: 'x' });

    const error = await rejectionOf(client.exchange(request));

    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).code).toBe('exchange_failed');
  });

  it('throws exchange_unreachable when the invocation times out', async () => {
    // The stub waits for the abort signal, as the SDK does.
    const send = vi.fn(
      (_command: InvokeCommand, options?: { abortSignal?: AbortSignal }) =>
        new Promise<InvokeCommandOutput>((_resolve, reject) => {
          options?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    const client = createLambdaExchangeClient({
      lambda: { send },
      functionName: 'x',
      timeoutMs: 20,
    });

    const error = await rejectionOf(client.exchange(request));

    expect((error as DependencyError).code).toBe('exchange_unreachable');
  });
});
