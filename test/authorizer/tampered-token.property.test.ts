import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearerEvent, createHarness, type Harness, rejectionOf } from './harness.js';

/**
 * Invariant: a valid token with any one character replaced is never
 * allowed. The signature covers the header and payload text, and the
 * signature itself must be the canonical encoding of the signed bytes.
 */

// Every character a Bearer credential may hold, and a few it may not.
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/= !%';

let harness: Harness;
let token: string;

beforeAll(async () => {
  harness = await createHarness();
  token = await harness.oidcToken('catalog.read');
  // The unchanged token is allowed: the property is about the change alone.
  const allowed = await harness.authorizer.authorize(bearerEvent(token));
  expect(allowed.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
});

describe('a tampered token', () => {
  it('is refused with a 401 whichever character is replaced', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...alphabet), async (position, replacement) => {
        const index = position % token.length;
        fc.pre(token[index] !== replacement);
        const tampered = token.slice(0, index) + replacement + token.slice(index + 1);

        const error = await rejectionOf(harness.authorizer.authorize(bearerEvent(tampered)));

        expect(error.message).toBe('Unauthorized');
      }),
      { numRuns: 400 },
    );
  });

  it('is refused when only the spare bits of the last signature character change', async () => {
    // RS256 signatures are 256 bytes: the last base64url character carries
    // two bits and four unused ones, so some replacements decode to the same
    // bytes. A verifier that decodes leniently would accept those.
    const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const value = base64url.indexOf(token.at(-1) ?? 'A');
    const sameBytes = base64url[value ^ 0b0001] ?? 'A';

    const error = await rejectionOf(
      harness.authorizer.authorize(bearerEvent(token.slice(0, -1) + sameBytes)),
    );

    expect(error.message).toBe('Unauthorized');
  });
});
