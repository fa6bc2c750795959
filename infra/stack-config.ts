import { dialects, signatureAlgorithms } from '../functions/shared/definition/schema.js';
import {
  shopExchange,
  shopGatewayAudience,
} from '../functions/shared/definition/shop-definition.js';

/**
 * The stack's settings, read from CDK context (`cdk.json` or `-c key=value`).
 * Values from the command line arrive as strings and values from `cdk.json`
 * as JSON, so every reader accepts both and names the flag it rejects.
 */

/** Issuer settings for an identity provider other than the stack's user pool. */
export interface ExternalIssuerConfig {
  /** The exact `iss` its access tokens carry. Context: `issuerUrl`. */
  readonly issuer: string;
  /** Where it publishes its signing keys. Context: `issuerJwksUri`. */
  readonly jwksUri: string;
  /** The gateway's audience in its tokens. Context: `issuerAudience`. */
  readonly audience: string;
  /** How it spells scopes and audience. Context: `issuerDialect`. @default 'oidc' */
  readonly dialect: 'oidc' | 'entra' | 'auth0' | 'okta';
  /** Accepted algorithms. Context: `issuerAlgorithms`, comma-separated. @default ['RS256'] */
  readonly algorithms: readonly string[];
  /** Accepted `typ` values. Context: `issuerTokenTypes`. @default ['at+jwt'] */
  readonly tokenTypes: readonly string[];
  /** Accept tokens without `typ`. Context: `issuerAcceptUntyped`. @default false */
  readonly acceptUntypedTokens: boolean;
}

export interface StackConfig {
  /**
   * Seconds API Gateway caches an authorizer decision and its narrow token.
   * 0 turns the cache off. Context: `authorizerCacheTtlSeconds`. @default 60
   */
  readonly authorizerCacheTtlSeconds: number;
  /** Days between signing-key rotations. Context: `keyRotationDays`. @default 30 */
  readonly keyRotationDays: number;
  /** Days function and access logs are kept. Context: `logRetentionDays`. @default 30 */
  readonly logRetentionDays: number;
  /** Steady requests per second for the whole stage. Context: `throttleRateLimit`. @default 50 */
  readonly throttleRateLimit: number;
  /** Burst of requests for the whole stage. Context: `throttleBurstLimit`. @default 100 */
  readonly throttleBurstLimit: number;
  /**
   * Delete tables, the user pool and log groups with the stack instead of
   * keeping them. Context: `destroyOnDelete`. @default false
   */
  readonly destroyOnDelete: boolean;
  /**
   * Prefix of the Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`),
   * unique per region across all of AWS. Context: `cognitoDomainPrefix`.
   * @default `narrowgate-<account id>`
   */
  readonly cognitoDomainPrefix?: string;
  /** Set when an external issuer replaces the user pool; see the `issuer*` flags. */
  readonly externalIssuer?: ExternalIssuerConfig;
}

/**
 * Seconds a cached narrow token must still have to live when the cache
 * hands it out last: the services' clock leeway is not counted on, and a
 * request may spend up to 29 s in the integration.
 */
export const cacheLifetimeMarginSeconds = 60;

/** API Gateway's own ceiling for an authorizer result cache. */
const apiGatewayMaxCacheTtlSeconds = 3600;

/** A context value that cannot be used; names the flag. */
export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
  readonly code = 'stack_config_invalid';

  constructor(
    readonly flag: string,
    reason: string,
  ) {
    super(`context flag ${flag} ${reason}`);
  }
}

/** Reads context through this; `App.node.tryGetContext` fits. */
export type ContextReader = (key: string) => unknown;

/** Reads and checks every flag, or throws {@link StackConfigError}. */
export function readStackConfig(context: ContextReader): StackConfig {
  // No upper bound here: checkCacheTtl names the limit that actually binds.
  const ttl = readInteger(context, 'authorizerCacheTtlSeconds', 60, 0);
  checkCacheTtl(ttl, shopExchange.tokenLifetimeSeconds);
  const domainPrefix = readString(context, 'cognitoDomainPrefix');
  if (domainPrefix !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix)) {
    throw new StackConfigError('cognitoDomainPrefix', 'must be lower-case letters, digits and -');
  }
  const externalIssuer = readExternalIssuer(context);
  return {
    authorizerCacheTtlSeconds: ttl,
    keyRotationDays: readInteger(context, 'keyRotationDays', 30, 1, 365),
    logRetentionDays: readInteger(context, 'logRetentionDays', 30, 1, 3653),
    throttleRateLimit: readInteger(context, 'throttleRateLimit', 50, 1, 10_000),
    throttleBurstLimit: readInteger(context, 'throttleBurstLimit', 100, 1, 5000),
    destroyOnDelete: readBoolean(context, 'destroyOnDelete', false),
    ...(domainPrefix === undefined ? {} : { cognitoDomainPrefix: domainPrefix }),
    ...(externalIssuer === undefined ? {} : { externalIssuer }),
  };
}

/**
 * The cache replays one narrow token for up to `ttl` seconds; a token that
 * expires inside that window would reach the service dead, so the cache
 * must end at least {@link cacheLifetimeMarginSeconds} before the token does.
 * That is the limit a user meets first (240 s with the shop's 300 s tokens),
 * so it is the one named; API Gateway's own 3600 s only binds when narrow
 * tokens live longer than 3600 s plus the margin.
 */
export function checkCacheTtl(ttl: number, tokenLifetimeSeconds: number): void {
  const ceiling = tokenLifetimeSeconds - cacheLifetimeMarginSeconds;
  if (ttl > 0 && ttl > ceiling) {
    throw new StackConfigError(
      'authorizerCacheTtlSeconds',
      `is ${ttl} s but must be at most ${Math.max(ceiling, 0)} s: narrow tokens live ` +
        `${tokenLifetimeSeconds} s and a cached one needs ${cacheLifetimeMarginSeconds} s left`,
    );
  }
  if (ttl > apiGatewayMaxCacheTtlSeconds) {
    throw new StackConfigError(
      'authorizerCacheTtlSeconds',
      `is ${ttl} s but must be at most ${apiGatewayMaxCacheTtlSeconds} s, ` +
        `API Gateway's limit for an authorizer cache`,
    );
  }
}

function readExternalIssuer(context: ContextReader): ExternalIssuerConfig | undefined {
  const issuer = readString(context, 'issuerUrl');
  const related = [
    'issuerJwksUri',
    'issuerAudience',
    'issuerDialect',
    'issuerAlgorithms',
    'issuerTokenTypes',
    'issuerAcceptUntyped',
  ];
  if (issuer === undefined) {
    // Any value, of any type: a flag that cannot take effect must not pass silently.
    const stray = related.find((flag) => context(flag) !== undefined && context(flag) !== null);
    if (stray) throw new StackConfigError(stray, 'needs issuerUrl as well');
    return undefined;
  }

  // Keys: no guessing at a well-known path; issuers publish them in many places.
  const jwksUri = readString(context, 'issuerJwksUri');
  if (jwksUri === undefined) {
    throw new StackConfigError('issuerJwksUri', 'must be set with issuerUrl');
  }

  const dialect = readString(context, 'issuerDialect') ?? 'oidc';
  if (dialect === 'cognito' || !(dialects as readonly string[]).includes(dialect)) {
    throw new StackConfigError('issuerDialect', 'must be one of oidc, entra, auth0, okta');
  }
  const algorithms = readList(context, 'issuerAlgorithms') ?? ['RS256'];
  const unknown = algorithms.find((a) => !(signatureAlgorithms as readonly string[]).includes(a));
  if (unknown !== undefined) {
    throw new StackConfigError('issuerAlgorithms', `names unsupported algorithm "${unknown}"`);
  }
  return {
    issuer,
    jwksUri,
    audience: readString(context, 'issuerAudience') ?? shopGatewayAudience,
    dialect: dialect as ExternalIssuerConfig['dialect'],
    algorithms,
    tokenTypes: readList(context, 'issuerTokenTypes') ?? ['at+jwt'],
    acceptUntypedTokens: readBoolean(context, 'issuerAcceptUntyped', false),
  };
}

function readString(context: ContextReader, flag: string): string | undefined {
  const value = context(flag);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new StackConfigError(flag, 'must be a string');
  return value.trim() || undefined;
}

function readList(context: ContextReader, flag: string): string[] | undefined {
  const value = context(flag);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  const text = readString(context, flag);
  return text === undefined ? undefined : text.split(',').map((item) => item.trim());
}

/** A whole number from `min` to `max`; without `max`, the caller checks the top itself. */
function readInteger(
  context: ContextReader,
  flag: string,
  fallback: number,
  min: number,
  max?: number,
): number {
  const value = context(flag);
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  const inRange =
    typeof number === 'number' &&
    Number.isSafeInteger(number) &&
    number >= min &&
    (max === undefined || number <= max);
  if (!inRange) {
    const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
    throw new StackConfigError(flag, `must be a whole number ${range}`);
  }
  return number;
}

function readBoolean(context: ContextReader, flag: string, fallback: boolean): boolean {
  const value = context(flag);
  if (value === undefined || value === null || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new StackConfigError(flag, 'must be true or false');
}
