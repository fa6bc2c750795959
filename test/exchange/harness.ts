import type { JWTPayload } from 'jose';
import { createExchange, type ExchangeAnswer } from '../../functions/exchange/exchange.js';
import type { KeySource } from '../../functions/exchange/key-source.js';
import { createMemoryKeySource } from '../../functions/exchange/memory-key-source.js';
import { loadDefinition } from '../../functions/shared/definition/load-definition.js';
import type { Definition } from '../../functions/shared/definition/schema.js';
import { createAccessTokenVerifier } from '../../functions/shared/tokens/access-token-verifier.js';
import {
  accessTokenTypeUri,
  tokenExchangeGrantType,
} from '../../functions/shared/tokens/narrow-token-profile.js';
import { createNarrowTokenVerifier } from '../../functions/shared/tokens/narrow-token-verifier.js';
import { httpsIssuer, validShopDefinition } from '../support/definitions.js';
import {
  createTestSigner,
  memoryJwksCache,
  nowSeconds,
  type TestSigner,
} from '../support/test-issuer.js';

/** The exchange's own issuer URL in tests. */
export const exchangeIssuer = 'https://exchange.example.com';
export const exchangeJwksUri = `${exchangeIssuer}/.well-known/jwks.json`;
export const catalogAudience = 'urn:narrowgate:service:catalog';
export const basketAudience = 'urn:narrowgate:service:basket';

export interface Harness {
  readonly definition: Definition;
  readonly idp: TestSigner;
  readonly keys: KeySource;
  exchange(request: unknown): Promise<ExchangeAnswer>;
  /** A client token from the test identity provider, valid for the gateway. */
  subjectToken(claims?: JWTPayload): Promise<string>;
  /** An RFC 8693 request for `subjectToken`, with any field replaced. */
  request(subjectToken: string, fields?: Record<string, unknown>): Record<string, unknown>;
  /** Verifies a narrow token as `audience`'s service would, through a JWKS of the keys. */
  verifyAs(
    audience: string,
    token: string,
    scopes?: string[],
  ): ReturnType<ReturnType<typeof createNarrowTokenVerifier>['verify']>;
}

export interface HarnessOptions {
  readonly keys?: KeySource;
  readonly now?: () => number;
  readonly logger?: Parameters<typeof createExchange>[0]['logger'];
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const idp = await createTestSigner('ES256', 'idp-key');
  const definition = loadDefinition(validShopDefinition());
  const { cache } = memoryJwksCache({ [httpsIssuer.jwksUri]: { keys: [idp.publicJwk] } });
  const verifier = createAccessTokenVerifier(definition.issuers, { jwksCache: cache });
  const keys = options.keys ?? (await createMemoryKeySource());
  const exchange = createExchange({
    definition,
    verifier,
    keys,
    issuer: exchangeIssuer,
    now: options.now,
    logger: options.logger,
  });

  return {
    definition,
    idp,
    keys,
    exchange: (request) => exchange.exchange(request),
    subjectToken: (claims = {}) =>
      idp.sign(
        {
          iss: httpsIssuer.issuer,
          aud: httpsIssuer.audience,
          sub: 'user-1',
          client_id: 'shop-web',
          scope: 'catalog.read basket.read basket.write',
          iat: nowSeconds(),
          exp: nowSeconds() + 3600,
          ...claims,
        },
        { typ: 'at+jwt' },
      ),
    request: (subjectToken, fields = {}) => ({
      grant_type: tokenExchangeGrantType,
      subject_token: subjectToken,
      subject_token_type: accessTokenTypeUri,
      audience: catalogAudience,
      scope: 'catalog:read',
      ...fields,
    }),
    async verifyAs(audience, token, scopes = []) {
      const jwks = { keys: [...(await keys.publicKeys())] };
      const verifier = createNarrowTokenVerifier({
        issuer: exchangeIssuer,
        jwksUri: exchangeJwksUri,
        audience,
        jwksCache: memoryJwksCache({ [exchangeJwksUri]: jwks }).cache,
      });
      return await verifier.verify(token, scopes);
    },
  };
}
