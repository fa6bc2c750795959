/**
 * execute-api ARNs, as API Gateway builds them for `methodArn` and matches
 * them against an authorizer's policy.
 */

/** Where the emulated REST API pretends to live; only ever written into ARNs and events. */
export interface ApiIdentity {
  /** @default 'us-east-1' */
  readonly region: string;
  /** @default '123456789012' */
  readonly accountId: string;
  /** @default 'local' */
  readonly apiId: string;
  /** @default 'local' */
  readonly stage: string;
}

export const defaultApiIdentity: ApiIdentity = {
  region: 'us-east-1',
  accountId: '123456789012',
  apiId: 'local',
  stage: 'local',
};

/**
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`,
 * with the request path as received (its leading slash dropped).
 */
export function buildMethodArn(api: ApiIdentity, method: string, rawPath: string): string {
  const base = `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}`;
  return `${base}/${api.stage}/${method}/${rawPath.replace(/^\//, '')}`;
}

/**
 * IAM resource matching: `*` is any run of characters (slashes included),
 * `?` is exactly one; everything else compares exactly, case included.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  let compiled = compiledPatterns.get(pattern);
  if (!compiled) {
    compiled = compilePattern(pattern);
    // Policies come from our own authorizer; the bound only guards a bug there.
    if (compiledPatterns.size >= 1000) compiledPatterns.clear();
    compiledPatterns.set(pattern, compiled);
  }
  return compiled.test(arn);
}

// A cached policy is evaluated again on every request, as API Gateway does;
// compiling its patterns once keeps that from dominating a cache hit.
const compiledPatterns = new Map<string, RegExp>();

function compilePattern(pattern: string): RegExp {
  const source = [...pattern]
    .map((char) => {
      if (char === '*') return '.*';
      if (char === '?') return '.';
      return char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, 's');
}
