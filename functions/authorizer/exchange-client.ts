import type { TokenExchangeRequest, TokenExchangeResponse } from '../shared/exchange-protocol.js';

/**
 * How the authorizer reaches the exchange. On AWS this is a Lambda Invoke
 * (`lambda-exchange-client.ts`); the local stack calls the exchange in
 * process through the same interface, so only the transport differs.
 */
export interface ExchangeClient {
  /**
   * Asks for a narrow token. A refusal is an answer (`{ error }`), not an
   * exception; throw only when the exchange could not answer at all
   * (unreachable, timed out, malformed reply), which the authorizer turns
   * into a 500.
   */
  exchange(request: TokenExchangeRequest): Promise<TokenExchangeResponse>;
}
