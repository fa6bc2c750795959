import { describe, expect, it } from 'vitest';
import { createNarrowTokenCache } from '../../functions/authorizer/narrow-token-cache.js';

const start = 1_800_000_000_000;
const key = { subjectToken: 'subject.token.a', audience: 'urn:svc:catalog', scopes: ['c:read'] };
const narrow = { accessToken: 'narrow-1', scope: 'c:read', expiresInSeconds: 300 };
const farSubjectExp = start / 1000 + 86_400;

function cacheAt(clock: { now: number }, maxEntries?: number) {
  return createNarrowTokenCache({ now: () => clock.now, maxEntries });
}

describe('the narrow-token cache', () => {
  it('returns a token it holds for the same subject token, audience and scopes', () => {
    const clock = { now: start };
    const cache = cacheAt(clock);

    cache.set(key, narrow, farSubjectExp);

    expect(cache.get({ ...key, scopes: ['c:read'] })?.accessToken).toBe('narrow-1');
  });

  it('never returns a token minted for another audience, scope set or subject token', () => {
    const cache = cacheAt({ now: start });
    cache.set(key, narrow, farSubjectExp);

    expect(cache.get({ ...key, audience: 'urn:svc:basket' })).toBeUndefined();
    expect(cache.get({ ...key, scopes: ['c:read', 'c:write'] })).toBeUndefined();
    expect(cache.get({ ...key, scopes: [] })).toBeUndefined();
    expect(cache.get({ ...key, subjectToken: 'subject.token.b' })).toBeUndefined();
  });

  it('keys on the parts, not on their concatenation', () => {
    const cache = cacheAt({ now: start });
    cache.set({ subjectToken: 'ab', audience: 'c', scopes: ['x'] }, narrow, farSubjectExp);

    expect(cache.get({ subjectToken: 'a', audience: 'bc', scopes: ['x'] })).toBeUndefined();
  });

  it('drops a token when a tenth of its lifetime is left', () => {
    const clock = { now: start };
    const cache = cacheAt(clock);
    cache.set(key, narrow, farSubjectExp);

    clock.now = start + 269_999;
    expect(cache.get(key)).toBeDefined();
    clock.now = start + 270_000;
    expect(cache.get(key)).toBeUndefined();
  });

  it('keeps at least the minimum margin on short-lived tokens', () => {
    const clock = { now: start };
    const cache = cacheAt(clock);
    cache.set(key, { ...narrow, expiresInSeconds: 20 }, farSubjectExp);

    clock.now = start + 14_999;
    expect(cache.get(key)).toBeDefined();
    clock.now = start + 15_000;
    expect(cache.get(key)).toBeUndefined();
  });

  it('never keeps a token past the subject token expiry', () => {
    const clock = { now: start };
    const cache = cacheAt(clock);
    cache.set(key, narrow, start / 1000 + 60);

    clock.now = start + 59_999;
    expect(cache.get(key)).toBeDefined();
    clock.now = start + 60_000;
    expect(cache.get(key)).toBeUndefined();
  });

  it('keeps nothing that is already due to be dropped', () => {
    const cache = cacheAt({ now: start });

    cache.set(key, { ...narrow, expiresInSeconds: 5 }, farSubjectExp);
    cache.set({ ...key, audience: 'other' }, narrow, start / 1000);

    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries, dropping the least recently used', () => {
    const cache = cacheAt({ now: start }, 2);
    const keyOf = (n: number) => ({ ...key, subjectToken: `subject-${n}` });

    cache.set(keyOf(1), narrow, farSubjectExp);
    cache.set(keyOf(2), narrow, farSubjectExp);
    cache.get(keyOf(1));
    cache.set(keyOf(3), narrow, farSubjectExp);

    expect(cache.size).toBe(2);
    expect(cache.get(keyOf(2))).toBeUndefined();
    expect(cache.get(keyOf(1))).toBeDefined();
    expect(cache.get(keyOf(3))).toBeDefined();
  });
});
