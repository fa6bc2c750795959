import { createAuthorizer } from '../functions/authorizer/authorizer.js';
import { createExchange } from '../functions/exchange/exchange.js';
import { createMemoryKeySource } from '../functions/exchange/memory-key-source.js';
import { loadDefinition } from '../functions/shared/definition/load-definition.js';
import type { IssuerConfig } from '../functions/shared/definition/schema.js';
import {
  shopExchange,
  shopRoutes,
  shopServices,
} from '../functions/shared/definition/shop-definition.js';
import { createLogger } from '../functions/shared/logging/logger.js';
import { createAccessTokenVerifier } from '../functions/shared/tokens/access-token-verifier.js';
import { createInProcessExchangeClient } from './in-process-exchange-client.js';

/**
 * The shop's definition with the given issuers, the exchange with a key
 * made now (Secrets Manager's stand-in) and the authorizer calling it in
 * process instead of by Lambda Invoke: each function's own factory, only
 * the transport swapped. The local stack and the benchmarks both run this.
 */
export async function createInProcessGateway(options: {
  readonly issuers: readonly IssuerConfig[];
  /** The `iss` the exchange writes into narrow tokens. */
  readonly narrowTokenIssuer: string;
}) {
  const definition = loadDefinition(
    {
      issuers: options.issuers,
      services: shopServices,
      routes: shopRoutes,
      exchange: shopExchange,
    },
    { allowHttp: true },
  );
  const keys = await createMemoryKeySource();
  const exchange = createExchange({
    definition,
    verifier: createAccessTokenVerifier(definition.issuers, { allowHttp: true }),
    keys,
    issuer: options.narrowTokenIssuer,
    logger: createLogger('exchange'),
  });
  const verifier = createAccessTokenVerifier(definition.issuers, { allowHttp: true });
  const authorizer = createAuthorizer({
    definition,
    verifier,
    exchange: createInProcessExchangeClient(exchange),
  });
  return { definition, keys, exchange, verifier, authorizer };
}
