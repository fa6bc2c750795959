import type { JWTPayload } from 'jose';
import { vi } from 'vitest';
import { loadDefinition } from '../../functions/shared/definition/load-definition.js';
import type { Definition, DefinitionInput } from '../../functions/shared/definition/schema.js';
import {
  shopExchange,
  shopGatewayAudience,
} from '../../functions/shared/definition/shop-definition.js';
import {
  narrowTokenAlgorithm,
  narrowTokenType,
} from '../../functions/shared/tokens/narrow-token-profile.js';
import { httpsIssuer, validShopDefinition } from '../support/definitions.js';
import {
  createTestSigner,
  jwksOf,
  memoryJwksCache,
  nowSeconds,
  type TestSigner,
} from '../support/test-issuer.js';

/** The exchange the services trust in these tests. */
export const exchangeIssuer = 'https://exchange.narrowgate.test';
export const exchangeJwksUri = 'https://exchange.narrowgate.test/.well-known/jwks.json';

export const catalogAudience = 'urn:narrowgate:service:catalog';
export const basketAudience = 'urn:narrowgate:service:basket';

/** A fixed instant the tests freeze the clock at, so `exp` checks never flake. */
export const frozenNow = new Date('2026-03-01T12:00:00.000Z');

export interface Keys {
  /** The exchange's key, published at {@link exchangeJwksUri}. */
  readonly exchange: TestSigner;
  /** The client's identity provider (`httpsIssuer`), published at its JWKS URI. */
  readonly idp: TestSigner;
  /** A key nobody publishes, with the exchange's `kid`. */
  readonly rogue: TestSigner;
}

export async function createKeys(): Promise<Keys> {
  return {
    exchange: await createTestSigner(narrowTokenAlgorithm, 'exchange-1'),
    idp: await createTestSigner('ES256', 'idp-1'),
    rogue: await createTestSigner(narrowTokenAlgorithm, 'exchange-1'),
  };
}

/** A JWKS cache answering from memory for the exchange and the identity provider. */
export function jwksCacheFor(keys: Keys) {
  return memoryJwksCache({
    [exchangeJwksUri]: jwksOf(keys.exchange),
    [httpsIssuer.jwksUri]: jwksOf(keys.idp),
  });
}

export interface NarrowTokenInput {
  readonly audience: string;
  readonly scope: string;
  readonly subject?: string;
  /** `sub_id.iss`: the client's issuer that vouched for `subject`. @default httpsIssuer.issuer */
  readonly subjectIssuer?: string;
  /** Seconds from now until `exp`. @default 300 */
  readonly expiresIn?: number;
  readonly signer?: TestSigner;
  /** Header fields added or replaced, e.g. `{ typ: 'JWT' }`. */
  readonly header?: Record<string, unknown>;
  /** Claims added or replaced. */
  readonly claims?: JWTPayload;
}

/** A narrow token as the exchange mints it (see `narrow-token-profile.ts`). */
export function signNarrowToken(keys: Keys, input: NarrowTokenInput): Promise<string> {
  const iat = nowSeconds();
  const sub = input.subject ?? 'user-1';
  return (input.signer ?? keys.exchange).sign(
    {
      iss: exchangeIssuer,
      aud: input.audience,
      sub,
      sub_id: { format: 'iss_sub', iss: input.subjectIssuer ?? httpsIssuer.issuer, sub },
      client_id: 'shop-web',
      scope: input.scope,
      iat,
      exp: iat + (input.expiresIn ?? 300),
      jti: crypto.randomUUID(),
      act: { sub: shopExchange.actor },
      ...input.claims,
    },
    { typ: narrowTokenType, ...input.header },
  );
}

/** A client token as the identity provider issues it for the gateway. */
export function signClientToken(
  keys: Keys,
  scope: string,
  claims: JWTPayload = {},
): Promise<string> {
  const iat = nowSeconds();
  return keys.idp.sign(
    {
      iss: httpsIssuer.issuer,
      aud: shopGatewayAudience,
      sub: 'user-1',
      client_id: 'shop-web',
      scope,
      iat,
      exp: iat + 300,
      jti: crypto.randomUUID(),
      ...claims,
    },
    { typ: 'at+jwt' },
  );
}

/** The shop's definition with one https OIDC issuer, validated. */
export function shopDefinition(change?: (input: DefinitionInput) => void): Definition {
  const input = validShopDefinition();
  change?.(input);
  return loadDefinition(input);
}

/**
 * Collects what the loggers write (Powertools writes JSON lines to stdout
 * and stderr) and keeps it off the test output. Restore with
 * `vi.restoreAllMocks()`.
 */
export function captureLogs(): string[] {
  const lines: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line.trim() !== ''),
      );
      return true;
    });
  }
  return lines;
}
