import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface VerifiedTokenCacheOptions {
  /** Most tokens remembered; the least recently used goes first. @default 10000 */
  readonly maxEntries?: number;
  /**
   * Seconds a verification is reused. Bounds how long a token signed by a
   * key the issuer has since withdrawn from its JWKS keeps passing.
   * @default 60
   */
  readonly maxAgeSeconds?: number;
  /** The clock, in milliseconds since the epoch. @default () => Date.now() */
  readonly now?: () => number;
}

export interface VerifiedTokenCache<T> {
  /** The remembered result for exactly this token text, while it is still valid. */
  get(token: string): T | undefined;
  /** Remembers `result` until `validUntilSeconds` (`exp` plus leeway) or the maximum age. */
  set(token: string, result: T, validUntilSeconds: number): void;
}

interface Entry<T> {
  readonly result: T;
  readonly keepUntilMs: number;
}

/**
 * Remembers tokens that verified, so that a client repeating its token (the
 * usual case: one token per client for its whole lifetime) pays for the
 * signature once per `maxAgeSeconds` instead of once per request. Only
 * successes are kept, under a SHA-256 digest of the exact token text (any
 * other text of the same content, such as a rewritten ECDSA signature, is a
 * miss and is verified in full). An entry is never returned after the
 * token's `exp` plus leeway, and every check that depends on the request,
 * such as scopes, still runs each time.
 */
export function createVerifiedTokenCache<T>(
  options: VerifiedTokenCacheOptions = {},
): VerifiedTokenCache<T> {
  // Read `Date.now` on each call, never once here: the verifier and
  // aws-jwt-verify read the global clock when they run, so a clock swapped
  // after creation (fake timers) must move this cache's entries too.
  const now = options.now ?? (() => Date.now());
  const maxAgeMs = (options.maxAgeSeconds ?? 60) * 1000;
  // Expiry is checked against `now` on every read rather than by lru-cache's
  // own TTL clock, so that one clock governs both this cache and the tokens.
  const entries = new LRUCache<string, Entry<T>>({ max: options.maxEntries ?? 10_000 });
  const digestOf = (token: string) => createHash('sha256').update(token).digest('base64');

  return {
    get(token) {
      const digest = digestOf(token);
      const entry = entries.get(digest);
      if (entry === undefined) return undefined;
      if (now() >= entry.keepUntilMs) {
        entries.delete(digest);
        return undefined;
      }
      return entry.result;
    },
    set(token, result, validUntilSeconds) {
      const nowMs = now();
      const keepUntilMs = Math.min(nowMs + maxAgeMs, validUntilSeconds * 1000);
      if (keepUntilMs > nowMs) entries.set(digestOf(token), { result, keepUntilMs });
    },
  };
}
