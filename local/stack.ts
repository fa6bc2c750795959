import { createBasketService } from '../functions/basket/basket-service.js';
import { createCatalogService } from '../functions/catalog/catalog-service.js';
import { seedCatalogEvents } from '../functions/catalog/seed-events.js';
import {
  createKeyRoutes,
  jwksPath,
  jwksUriOf,
  metadataPath,
} from '../functions/exchange/key-routes.js';
import type { KeySource } from '../functions/exchange/key-source.js';
import type { Definition } from '../functions/shared/definition/schema.js';
import { createLogger } from '../functions/shared/logging/logger.js';
import { type LocalDynamo, localTableNames, startDynamo } from './dynamo.js';
import type { AuthorizerCache } from './gateway/authorizer-cache.js';
import {
  createGatewayHandler,
  defaultAuthorizerCacheTtlSeconds,
  type PublicRoute,
} from './gateway/gateway-server.js';
import type { AuthorizerHandler, ProxyHandler } from './gateway/lambda-handlers.js';
import { listenBeforeServing } from './http/listen.js';
import { type LocalIdentityProvider, startIdentityProvider } from './identity/identity-provider.js';
import { createInProcessGateway } from './in-process-gateway.js';
import { createInsideNetworkHandler, type ExchangeHandler } from './inside/inside-server.js';
import { applyLocalEnvironment } from './local-environment.js';
import { loadPassThroughVariant, passThroughPrefix } from './passthrough-variant.js';

/** Ports of the local stack; 0 picks a free one (tests). */
export interface LocalStackPorts {
  /** The REST API emulator. @default 3000 */
  readonly gateway: number;
  /** The services with no gateway in front, and `POST /exchange`. @default 3001 */
  readonly inside: number;
  /** The OpenID provider. @default 3002 */
  readonly identity: number;
  /** dynalite. @default 3003 */
  readonly dynamo: number;
}

export const defaultPorts: LocalStackPorts = {
  gateway: 3000,
  inside: 3001,
  identity: 3002,
  dynamo: 3003,
};

export interface LocalStackOptions {
  readonly ports?: Partial<LocalStackPorts>;
  /** Authorizer cache TTL, in seconds, as the stack sets it. @default 60 */
  readonly cacheTtlSeconds?: number;
  /** One line per request to the gateway and the inside network. */
  readonly log?: (line: string) => void;
}

/** The functions, called in process; the keys handler serves both key routes. */
export interface LocalFunctions {
  readonly authorizer: AuthorizerHandler;
  readonly exchange: ExchangeHandler;
  readonly catalog: ProxyHandler;
  readonly basket: ProxyHandler;
  readonly keys: ProxyHandler;
}

/** The running local stack. */
export interface LocalStack {
  readonly gatewayUrl: string;
  readonly insideUrl: string;
  readonly identity: LocalIdentityProvider;
  readonly dynamo: LocalDynamo;
  /** The shop's definition with the local issuer, as every function here reads it. */
  readonly definition: Definition;
  /** `iss` of narrow tokens: the gateway's base URL, as on AWS. */
  readonly narrowTokenIssuer: string;
  readonly authorizerCache: AuthorizerCache;
  /** Each function as the stack wired it, for `npm run invoke`. */
  readonly functions: LocalFunctions;
  /** Stops every server; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the whole pattern on 127.0.0.1: the OpenID provider, dynalite with
 * the tables made and the catalog seeded, the exchange with a key made now,
 * the authorizer and the services wired in process, the REST API emulator,
 * and the inside-network server. Only the transport between functions is
 * swapped: each function's own factory does the work.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const ports = { ...defaultPorts, ...options.ports };
  const closers: (() => Promise<void>)[] = [];
  try {
    // Identity and storage.
    const identity = await startIdentityProvider(ports.identity);
    closers.push(identity.close);
    const dynamo = await startDynamo(ports.dynamo);
    closers.push(dynamo.close);
    applyLocalEnvironment(dynamo.url);
    await seedCatalogEvents({
      documentClient: dynamo.documentClient,
      tableName: localTableNames.catalog,
    });

    // The gateway binds first: its URL is the narrow tokens' issuer.
    const gateway = await listenBeforeServing(ports.gateway);
    closers.push(gateway.close);
    const inside = await listenBeforeServing(ports.inside);
    closers.push(inside.close);
    const narrowTokenIssuer = gateway.url;
    const narrowToken = {
      issuer: narrowTokenIssuer,
      jwksUri: jwksUriOf(gateway.url),
    };

    const { definition, keys, exchange, authorizer } = await createInProcessGateway({
      issuers: [identity.issuerConfig],
      narrowTokenIssuer,
    });

    // Services, and their pass-through variant for the contrast.
    const services = buildServices(definition, dynamo, narrowToken);
    const passThrough = buildServices(
      loadPassThroughVariant(definition.issuers),
      dynamo,
      narrowToken,
    );

    const publicRoutes = keyRoutes(keys, narrowTokenIssuer);
    const wired = createGatewayHandler({
      routes: definition.routes,
      authorizer: (event) => authorizer.authorize(event),
      integrations: services,
      publicRoutes,
      cacheTtlSeconds: options.cacheTtlSeconds ?? defaultAuthorizerCacheTtlSeconds,
      log: options.log && ((line) => options.log?.(`gateway ${line}`)),
    });
    gateway.serve(wired.handle);
    inside.serve(
      createInsideNetworkHandler({
        mounts: [
          { prefix: '', routes: definition.routes, integrations: services },
          {
            prefix: passThroughPrefix,
            routes: loadPassThroughVariant(definition.issuers).routes,
            integrations: passThrough,
          },
        ],
        exchange: (request) => exchange.exchange(request),
        testTokens: identity.testTokens,
        log: options.log && ((line) => options.log?.(`inside  ${line}`)),
      }),
    );

    let closed: Promise<void> | undefined;
    return {
      gatewayUrl: gateway.url,
      insideUrl: inside.url,
      identity,
      dynamo,
      definition,
      narrowTokenIssuer,
      authorizerCache: wired.cache,
      functions: {
        authorizer: (event) => authorizer.authorize(event),
        exchange: (request) => exchange.exchange(request),
        catalog: services.catalog as ProxyHandler,
        basket: services.basket as ProxyHandler,
        keys: (publicRoutes[0] as PublicRoute).handler,
      },
      close: () => {
        closed ??= closeAll(closers);
        return closed;
      },
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

function buildServices(
  definition: Definition,
  dynamo: LocalDynamo,
  narrowToken: { issuer: string; jwksUri: string },
): Record<string, ProxyHandler> {
  const common = {
    documentClient: dynamo.documentClient,
    definition,
    narrowToken,
    allowHttp: true,
  };
  return {
    catalog: createCatalogService({ ...common, tableName: localTableNames.catalog }),
    basket: createBasketService({ ...common, tableName: localTableNames.basket }),
  };
}

/** The public key routes, served by the exchange's own key routes, as on AWS. */
function keyRoutes(keys: KeySource, issuer: string): PublicRoute[] {
  const routes = createKeyRoutes({ keys, issuer, logger: createLogger('exchange-keys') });
  return [jwksPath, metadataPath].map((path) => ({
    method: 'GET',
    path,
    handler: (event) => routes.handle(event),
  }));
}

/** Closes in reverse start order, every one even if another fails. */
async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  const results = await Promise.allSettled([...closers].reverse().map((close) => close()));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}
