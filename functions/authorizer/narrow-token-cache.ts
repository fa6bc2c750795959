import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** A narrow token kept for reuse, with the instant it must no longer be handed out. */
export interface CachedNarrowToken {
  readonly accessToken: string;
  /** Space-delimited scopes the exchange granted. */
  readonly scope: string;
  /** Milliseconds since the epoch after which this entry is never returned. */
  readonly keepUntilMs: number;
}

/** What one narrow token was minted for: together they form the cache key. */
export interface NarrowTokenKey {
  readonly subjectToken: string;
  readonly audience: string;
  readonly scopes: readonly string[];
}

export interface NarrowTokenCacheOptions {
  /** Most entries kept; the least recently used goes first. @default 1000 */
  readonly maxEntries?: number;
  /** Share of a token's lifetime left at which it is dropped. @default 0.1 */
  readonly refreshRatio?: number;
  /** Seconds before expiry at which a token is dropped at least. @default 5 */
  readonly minMarginSeconds?: number;
  /** The clock, in milliseconds. @default () => Date.now() */
  readonly now?: () => number;
}

export interface NarrowTokenCache {
  get(key: NarrowTokenKey): CachedNarrowToken | undefined;
  /**
   * Keeps a token minted now for `expiresInSeconds`, until the earlier of
   * its refresh point and `subjectExpiresAt` (seconds since the epoch).
   * Keeps nothing when that instant has already passed.
   */
  set(
    key: NarrowTokenKey,
    token: { accessToken: string; scope: string; expiresInSeconds: number },
    subjectExpiresAt: number,
  ): void;
  readonly size: number;
}

/**
 * A bounded LRU of narrow tokens, so that a client calling one route in a
 * burst costs one exchange. The key is a SHA-256 digest of the subject
 * token, the audience and the scopes: the cache never holds a client token
 * in clear, and a token minted for one service or scope set is never handed
 * to another route.
 *
 * An entry is dropped while it still has a tenth of its lifetime (at least
 * `minMarginSeconds`) left, so the service never receives a token that
 * expires in flight, and never outlives the subject token, so that a
 * revoked-by-expiry client cannot keep calling through the cache.
 */
export function createNarrowTokenCache(options: NarrowTokenCacheOptions = {}): NarrowTokenCache {
  // The global clock as it is at each call, like the verifier's (see
  // verified-token-cache.ts), never the `Date.now` of creation time.
  const now = options.now ?? (() => Date.now());
  const refreshRatio = options.refreshRatio ?? 0.1;
  const minMarginMs = (options.minMarginSeconds ?? 5) * 1000;
  // Expiry is checked against `now` on every read rather than by lru-cache's
  // own TTL clock, so that one clock governs both this cache and the tokens.
  const entries = new LRUCache<string, CachedNarrowToken>({ max: options.maxEntries ?? 1000 });

  return {
    get(key) {
      const digest = digestOf(key);
      const entry = entries.get(digest);
      if (entry === undefined) return undefined;
      if (now() >= entry.keepUntilMs) {
        entries.delete(digest);
        return undefined;
      }
      return entry;
    },
    set(key, token, subjectExpiresAt) {
      const issuedAt = now();
      const lifetimeMs = token.expiresInSeconds * 1000;
      const marginMs = Math.max(lifetimeMs * refreshRatio, minMarginMs);
      const keepUntilMs = Math.min(issuedAt + lifetimeMs - marginMs, subjectExpiresAt * 1000);
      if (keepUntilMs <= issuedAt) return;
      entries.set(digestOf(key), {
        accessToken: token.accessToken,
        scope: token.scope,
        keepUntilMs,
      });
    },
    get size() {
      return entries.size;
    },
  };
}

function digestOf(key: NarrowTokenKey): string {
  // JSON keeps the parts apart: no audience or scope can be crafted so that
  // two different keys serialise to the same text.
  const parts = JSON.stringify([key.subjectToken, key.audience, [...key.scopes].sort()]);
  return createHash('sha256').update(parts).digest('base64url');
}
