import type { ExchangeClient } from '../functions/authorizer/exchange-client.js';
import type { Exchange } from '../functions/exchange/exchange.js';
import type { TokenExchangeResponse } from '../functions/shared/exchange-protocol.js';

/**
 * The authorizer's exchange client for the local stack: the exchange called
 * in process where AWS has a Lambda Invoke. The exchange's `server_error`
 * is handed on as is; it is outside the protocol's four refusal codes, so
 * the authorizer reads it as a malformed answer and fails closed with a
 * 500, exactly as it does when the Lambda returns one.
 */
export function createInProcessExchangeClient(exchange: Exchange): ExchangeClient {
  return {
    exchange: async (request) => (await exchange.exchange(request)) as TokenExchangeResponse,
  };
}
