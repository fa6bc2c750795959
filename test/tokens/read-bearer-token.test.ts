import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../functions/shared/errors.js';
import {
  maxTokenLength,
  readBearerToken,
} from '../../functions/shared/tokens/read-bearer-token.js';

const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.code;
    throw error;
  }
  return undefined;
}

describe('readBearerToken', () => {
  it.each([
    ['Authorization', `Bearer ${token}`],
    ['authorization', `bearer ${token}`],
    ['AUTHORIZATION', `BEARER ${token}`],
    ['aUtHoRiZaTiOn', `BeArEr ${token}`],
  ])('reads %s: %s', (name, value) => {
    expect(readBearerToken({ [name]: value })).toBe(token);
  });

  it.each([
    ['no header', {}, 'token_missing'],
    ['a null header map', null, 'token_missing'],
    ['another scheme', { Authorization: `Basic ${token}` }, 'token_malformed'],
    ['no scheme', { Authorization: token }, 'token_malformed'],
    ['two tokens', { Authorization: `Bearer ${token} ${token}` }, 'token_malformed'],
    [
      'two tokens, comma separated',
      { Authorization: `Bearer ${token},Bearer ${token}` },
      'token_malformed',
    ],
    ['something after the token', { Authorization: `Bearer ${token} x` }, 'token_malformed'],
    ['two spaces', { Authorization: `Bearer  ${token}` }, 'token_malformed'],
    ['a trailing space', { Authorization: `Bearer ${token} ` }, 'token_malformed'],
    ['a tab', { Authorization: `Bearer\t${token}` }, 'token_malformed'],
    ['an empty token', { Authorization: 'Bearer ' }, 'token_malformed'],
    ['a quote in the token', { Authorization: `Bearer "${token}"` }, 'token_malformed'],
    [
      'two headers in different case',
      { Authorization: `Bearer ${token}`, authorization: `Bearer ${token}` },
      'token_malformed',
    ],
    [
      'an oversized token',
      { Authorization: `Bearer ${'a'.repeat(maxTokenLength + 1)}` },
      'token_too_large',
    ],
  ])('refuses %s', (_why, headers, code) => {
    expect(codeOf(() => readBearerToken(headers))).toBe(code);
  });

  it('refuses a header repeated in the multi-value map', () => {
    const multi = { Authorization: [`Bearer ${token}`, `Bearer ${token}`] };

    expect(codeOf(() => readBearerToken({ Authorization: `Bearer ${token}` }, multi))).toBe(
      'token_malformed',
    );
  });

  it('accepts a token of exactly the maximum length', () => {
    const longest = 'a'.repeat(maxTokenLength);

    expect(readBearerToken({ Authorization: `Bearer ${longest}` })).toBe(longest);
  });
});
