import type { APIGatewayAuthorizerResult } from 'aws-lambda';

/**
 * API Gateway's authorizer cache: one authorizer result per combination of
 * identity-source values, kept for the TTL. The policy in a cached result is
 * evaluated again against each new request's `methodArn`, as API Gateway
 * does, so the key must hold every identity source: keyed on the token
 * alone, one route's Allow and narrow token would answer for another route.
 */
export class AuthorizerCache {
  readonly #entries = new Map<string, { result: APIGatewayAuthorizerResult; expiresAt: number }>();

  /**
   * @param ttlSeconds How long a result is reused; 0 turns caching off.
   * @param now The clock, in milliseconds; tests pass their own.
   * @param maxEntries Oldest entries are dropped beyond this many.
   */
  constructor(
    readonly ttlSeconds: number,
    private readonly now: () => number = () => Date.now(),
    private readonly maxEntries = 10_000,
  ) {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > 3600) {
      throw new TypeError('ttlSeconds must be a whole number from 0 to 3600');
    }
  }

  /** The cached result for these identity-source values, if still fresh. */
  get(identitySources: readonly string[]): APIGatewayAuthorizerResult | undefined {
    const key = JSON.stringify(identitySources);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.result;
  }

  set(identitySources: readonly string[], result: APIGatewayAuthorizerResult): void {
    if (this.ttlSeconds === 0) return;
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(JSON.stringify(identitySources), {
      result,
      expiresAt: this.now() + this.ttlSeconds * 1000,
    });
  }

  /** How many results are held; for tests. */
  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
