import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../functions/shared/logging/logger.js';
import { maxTokenLength } from '../../functions/shared/tokens/read-bearer-token.js';
import {
  basketAudience,
  catalogAudience,
  createHarness,
  type Harness,
} from '../exchange/harness.js';

/**
 * Requests to the exchange that try to reach a target or a scope by
 * spelling: prototype keys, letter case, separators other than one space,
 * oversized fields. Each is refused whole, with the RFC 8693 code and the
 * refusal reason logged; the subject holds catalog.read, basket.read and
 * basket.write.
 */

const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
let harness: Harness;
let subject: string;

beforeAll(async () => {
  harness = await createHarness({ logger: logger as unknown as Logger });
  subject = await harness.subjectToken();
});

beforeEach(() => {
  logger.warn.mockClear();
});

/** Asserts the answer `{ error }` and the one refusal logged with `code`. */
async function expectRefusal(request: unknown, error: string, code: string): Promise<void> {
  const answer = await harness.exchange(request);

  expect(answer).toEqual({ error, error_description: expect.any(String) });
  expect(logger.warn.mock.calls).toEqual([
    ['exchange refused', expect.objectContaining({ code, error })],
  ]);
}

describe('audiences', () => {
  it.each([
    ['__proto__'],
    ['constructor'],
    ['toString'],
    ['hasOwnProperty'],
    [catalogAudience.toUpperCase()],
    [`${catalogAudience} `],
    [`${catalogAudience}\u0000`],
    [`${catalogAudience} ${basketAudience}`],
  ])('refuses %j as an unknown target', async (audience) => {
    await expectRefusal(
      harness.request(subject, { audience }),
      'invalid_target',
      'audience_unknown',
    );
  });

  it('refuses a one-item audience array: a target is one string', async () => {
    await expectRefusal(
      harness.request(subject, { audience: [catalogAudience] }),
      'invalid_target',
      'audience_not_one',
    );
  });

  it('refuses an audience over 512 characters', async () => {
    await expectRefusal(
      harness.request(subject, { audience: `${catalogAudience}${'a'.repeat(512)}` }),
      'invalid_request',
      'request_malformed',
    );
  });
});

describe('scopes', () => {
  it.each([
    ['__proto__'],
    ['constructor'],
    ['catalog:read __proto__'],
    ['Catalog:read'],
    ['CATALOG:READ'],
    ['catalog:read:'],
    ['catalog.read'],
  ])('refuses %j as not granted', async (scope) => {
    await expectRefusal(harness.request(subject, { scope }), 'invalid_scope', 'scope_not_granted');
  });

  it.each([
    ['a tab', 'basket:read\tbasket:write'],
    ['a newline', 'basket:read\nbasket:write'],
    ['a no-break space', 'basket:read\u00a0basket:write'],
    ['a leading space', ' basket:read'],
    ['a trailing space', 'basket:read '],
    ['a non-ASCII letter', 'basket:reäd'],
    ['a backslash', 'basket:read\\'],
    ['a NUL', 'basket:read\u0000'],
  ])('refuses a scope with %s as malformed', async (_case, scope) => {
    await expectRefusal(
      harness.request(subject, { audience: basketAudience, scope }),
      'invalid_request',
      'scope_malformed',
    );
  });

  it('reads a comma as part of a scope token, which no grant opens', async () => {
    await expectRefusal(
      harness.request(subject, { audience: basketAudience, scope: 'basket:read,basket:write' }),
      'invalid_scope',
      'scope_not_granted',
    );
  });

  it('refuses a scope over 1024 characters before reading it', async () => {
    const scope = Array.from({ length: 120 }, (_, index) => `basket:read${index}`).join(' ');

    await expectRefusal(
      harness.request(subject, { audience: basketAudience, scope }),
      'invalid_request',
      'scope_malformed',
    );
  });

  it('never reads a scope from a JSON __proto__ key', async () => {
    const request = JSON.parse(
      JSON.stringify({ ...harness.request(subject, { scope: undefined }) }).replace(
        /^\{/,
        '{"__proto__":{"scope":"catalog:read"},',
      ),
    );

    await expectRefusal(request, 'invalid_request', 'request_malformed');
  });
});

describe('the subject token', () => {
  it('refuses one longer than any bearer token the gateway reads', async () => {
    const oversized = `${subject}${'A'.repeat(maxTokenLength)}`;

    await expectRefusal(harness.request(oversized), 'invalid_request', 'subject_token_refused');
  });

  it('gives nothing to scopes named after prototype keys in its own scope claim', async () => {
    const token = await harness.subjectToken({ scope: '__proto__ constructor toString' });

    await expectRefusal(harness.request(token), 'invalid_scope', 'scope_not_granted');
  });
});
