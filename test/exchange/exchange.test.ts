import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { exchangeHttpStatus } from '../../functions/exchange/exchange.js';
import type { KeySource } from '../../functions/exchange/key-source.js';
import { SigningKeyUnavailableError } from '../../functions/exchange/key-source.js';
import type { Logger } from '../../functions/shared/logging/logger.js';
import {
  accessTokenTypeUri,
  tokenExchangeGrantType,
} from '../../functions/shared/tokens/narrow-token-profile.js';
import { httpsIssuer } from '../support/definitions.js';
import { nowSeconds } from '../support/test-issuer.js';
import { basketAudience, catalogAudience, createHarness, exchangeIssuer } from './harness.js';

function fakeLogger() {
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return { logger, asLogger: logger as unknown as Logger };
}

describe('exchange: minting', () => {
  it('mints a narrow token with every claim of the profile', async () => {
    // Prepare
    const harness = await createHarness();
    const subject = await harness.subjectToken();

    // Act
    const answer = await harness.exchange(harness.request(subject, { scope: 'catalog:read' }));

    // Assess: the response
    if ('error' in answer) throw new Error(`refused: ${answer.error}`);
    expect(answer).toMatchObject({
      issued_token_type: accessTokenTypeUri,
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'catalog:read',
    });

    // Assess: header and claims
    const [key] = await harness.keys.publicKeys();
    expect(decodeProtectedHeader(answer.access_token)).toEqual({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: key?.kid,
    });
    const claims = decodeJwt(answer.access_token);
    expect(Object.keys(claims).sort()).toEqual(
      ['act', 'aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub', 'sub_id'].sort(),
    );
    expect(claims).toMatchObject({
      iss: exchangeIssuer,
      sub: 'user-1',
      client_id: 'shop-web',
      aud: catalogAudience,
      scope: 'catalog:read',
      act: { sub: 'urn:narrowgate:gateway' },
    });
    // RFC 9493: which issuer vouched for `sub`, from the verified subject token.
    expect(claims.sub_id).toEqual({ format: 'iss_sub', iss: httpsIssuer.issuer, sub: 'user-1' });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs((claims.iat ?? 0) - nowSeconds())).toBeLessThanOrEqual(1);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);

    // Assess: the catalog accepts it, the basket does not
    const verified = await harness.verifyAs(catalogAudience, answer.access_token, ['catalog:read']);
    expect(verified).toMatchObject({
      subject: 'user-1',
      subjectIssuer: httpsIssuer.issuer,
      actor: 'urn:narrowgate:gateway',
    });
    await expect(harness.verifyAs(basketAudience, answer.access_token)).rejects.toMatchObject({
      code: 'token_audience_not_allowed',
    });
  });

  it('caps exp at the subject token exp', async () => {
    // Prepare
    const harness = await createHarness();
    const subjectExp = nowSeconds() + 42;
    const subject = await harness.subjectToken({ exp: subjectExp });

    // Act
    const answer = await harness.exchange(harness.request(subject));

    // Assess
    if ('error' in answer) throw new Error(`refused: ${answer.error}`);
    expect(decodeJwt(answer.access_token).exp).toBe(subjectExp);
    expect(answer.expires_in).toBeGreaterThan(0);
    expect(answer.expires_in).toBeLessThanOrEqual(42);
    await harness.verifyAs(catalogAudience, answer.access_token, ['catalog:read']);
  });

  it('nests the subject token act under the gateway', async () => {
    // Prepare
    const harness = await createHarness();
    const prior = { sub: 'urn:example:batch-job', act: { sub: 'urn:example:scheduler' } };
    const subject = await harness.subjectToken({ act: prior });

    // Act
    const answer = await harness.exchange(harness.request(subject));

    // Assess
    if ('error' in answer) throw new Error(`refused: ${answer.error}`);
    expect(decodeJwt(answer.access_token).act).toEqual({
      sub: 'urn:narrowgate:gateway',
      act: prior,
    });
  });

  it('keeps registered claims its own when the subject carries look-alikes', async () => {
    // Prepare: a subject whose act tries to smuggle top-level claims
    const harness = await createHarness();
    const subject = await harness.subjectToken({
      act: { sub: 'x', iss: 'https://evil.example', aud: basketAudience },
      jti: 'fixed',
    });

    // Act
    const answer = await harness.exchange(harness.request(subject));

    // Assess
    if ('error' in answer) throw new Error(`refused: ${answer.error}`);
    const claims = decodeJwt(answer.access_token);
    expect(claims.iss).toBe(exchangeIssuer);
    expect(claims.aud).toBe(catalogAudience);
    expect(claims.jti).not.toBe('fixed');
  });

  it('writes sub_id from the verified subject, never from what the caller sends', async () => {
    // Prepare: a subject token and a request that both name another issuer
    const harness = await createHarness();
    const claimed = { format: 'iss_sub', iss: 'https://evil.example', sub: 'user-1' };
    const subject = await harness.subjectToken({ sub_id: claimed });

    // Act
    const answer = await harness.exchange(harness.request(subject, { sub_id: claimed }));

    // Assess
    if ('error' in answer) throw new Error(`refused: ${answer.error}`);
    expect(decodeJwt(answer.access_token).sub_id).toEqual({
      format: 'iss_sub',
      iss: httpsIssuer.issuer,
      sub: 'user-1',
    });
  });

  it('gives each token its own jti', async () => {
    const harness = await createHarness();
    const subject = await harness.subjectToken();
    const answers = await Promise.all(
      [1, 2, 3].map(() => harness.exchange(harness.request(subject))),
    );
    const ids = answers.map((a) => ('error' in a ? '' : decodeJwt(a.access_token).jti));
    expect(new Set(ids).size).toBe(3);
  });
});

describe('exchange: refusals', () => {
  it.each([
    ['not an object', () => 'text', 'request_malformed'],
    ['an array', () => [], 'request_malformed'],
    [
      'no subject_token',
      (r: Record<string, unknown>) => ({ ...r, subject_token: undefined }),
      'request_malformed',
    ],
    [
      'an empty subject_token',
      (r: Record<string, unknown>) => ({ ...r, subject_token: '' }),
      'request_malformed',
    ],
    [
      'another grant type',
      (r: Record<string, unknown>) => ({ ...r, grant_type: 'client_credentials' }),
      'grant_type_unsupported',
    ],
    [
      'an ID token subject',
      (r: Record<string, unknown>) => ({
        ...r,
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      }),
      'token_type_unsupported',
    ],
    [
      'a JWT requested',
      (r: Record<string, unknown>) => ({
        ...r,
        requested_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      }),
      'token_type_unsupported',
    ],
    [
      'an actor token',
      (r: Record<string, unknown>) => ({
        ...r,
        actor_token: 'x',
        actor_token_type: accessTokenTypeUri,
      }),
      'actor_token_unsupported',
    ],
    ['no scope', (r: Record<string, unknown>) => ({ ...r, scope: undefined }), 'request_malformed'],
    [
      'a scope with two spaces',
      (r: Record<string, unknown>) => ({ ...r, scope: 'catalog:read  catalog:write' }),
      'scope_malformed',
    ],
    [
      'a scope with a quote',
      (r: Record<string, unknown>) => ({ ...r, scope: 'catalog:"read' }),
      'scope_malformed',
    ],
    [
      'a numeric audience',
      (r: Record<string, unknown>) => ({ ...r, audience: 7 }),
      'request_malformed',
    ],
  ])('answers invalid_request to %s', async (_case, shape, code) => {
    // Prepare
    const { logger, asLogger } = fakeLogger();
    const harness = await createHarness({ logger: asLogger });
    const request = shape(harness.request(await harness.subjectToken()));

    // Act
    const answer = await harness.exchange(request);

    // Assess
    expect(answer).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
    expect(logger.warn).toHaveBeenCalledWith('exchange refused', expect.objectContaining({ code }));
  });

  it.each([
    ['two audiences', { audience: [catalogAudience, basketAudience] }],
    ['a resource', { resource: 'https://catalog.example.com' }],
    ['an unknown audience', { audience: 'urn:narrowgate:service:payments' }],
  ])('answers invalid_target to %s', async (_case, fields) => {
    const harness = await createHarness();
    const answer = await harness.exchange(harness.request(await harness.subjectToken(), fields));
    expect(answer).toMatchObject({ error: 'invalid_target' });
  });

  it.each([
    ['a widened scope', { scope: 'catalog:write' }],
    ['an empty scope', { scope: '' }],
    ['a repeated scope', { scope: 'catalog:read catalog:read' }],
  ])('answers invalid_scope to %s', async (_case, fields) => {
    const harness = await createHarness();
    const answer = await harness.exchange(harness.request(await harness.subjectToken(), fields));
    expect(answer).toMatchObject({ error: 'invalid_scope' });
  });

  it.each([
    ['expired', { exp: nowSeconds() - 120 }, 'subject_token_expired', 'token_expired'],
    [
      'for another audience',
      { aud: catalogAudience },
      'subject_token_refused',
      'token_audience_not_allowed',
    ],
    [
      'from an unknown issuer',
      { iss: 'https://other.example.com' },
      'subject_token_refused',
      'token_issuer_not_allowed',
    ],
    ['with act that is not an object', { act: 'gateway' }, 'subject_act_invalid', undefined],
  ])('answers invalid_request to a subject token %s', async (_case, claims, code, tokenCode) => {
    // Prepare
    const { logger, asLogger } = fakeLogger();
    const harness = await createHarness({ logger: asLogger });
    const subject = await harness.subjectToken(claims);

    // Act
    const answer = await harness.exchange(harness.request(subject));

    // Assess
    expect(answer).toMatchObject({ error: 'invalid_request' });
    const [, attributes] = logger.warn.mock.calls[0] ?? [];
    expect(attributes).toMatchObject({ code });
    if (tokenCode) expect(attributes).toMatchObject({ subject_error: tokenCode });
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain(subject);
  });

  it('answers invalid_request to a subject token with no life left after leeway', async () => {
    // Prepare: still inside the issuer's 30-second leeway, but past exp
    const harness = await createHarness();
    const subject = await harness.subjectToken({ exp: nowSeconds() - 5 });

    // Act
    const answer = await harness.exchange(harness.request(subject));

    // Assess
    expect(answer).toMatchObject({ error: 'invalid_request' });
  });

  it('answers invalid_request to a tampered subject token', async () => {
    const harness = await createHarness();
    const [h, p, s] = (await harness.subjectToken()).split('.');
    const widened = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(p ?? '', 'base64url').toString()),
        scope: 'catalog.write',
      }),
    ).toString('base64url');
    const answer = await harness.exchange(harness.request(`${h}.${widened}.${s}`));
    expect(answer).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses before the policy: an invalid subject with an unknown audience is invalid_request', async () => {
    const harness = await createHarness();
    const answer = await harness.exchange(
      harness.request('not-a-token', { audience: 'urn:narrowgate:service:payments' }),
    );
    expect(answer).toMatchObject({ error: 'invalid_request' });
  });
});

describe('exchange: failing closed', () => {
  it('answers server_error and logs a code when the signing key is unavailable', async () => {
    // Prepare
    const broken: KeySource = {
      signingKey: async () => {
        throw new SigningKeyUnavailableError('secret_malformed', 'AWSCURRENT is not a key');
      },
      publicKeys: async () => [],
    };
    const { logger, asLogger } = fakeLogger();
    const harness = await createHarness({ keys: broken, logger: asLogger });

    // Act
    const answer = await harness.exchange(harness.request(await harness.subjectToken()));

    // Assess
    expect(answer).toEqual({ error: 'server_error', error_description: expect.any(String) });
    expect(exchangeHttpStatus(answer)).toBe(500);
    expect(logger.error).toHaveBeenCalledWith('signing key unavailable', {
      code: 'signing_key_unavailable',
      reason: 'secret_malformed',
    });
  });

  it('answers server_error when the key source fails unexpectedly, with no stack', async () => {
    const broken: KeySource = {
      signingKey: async () => {
        throw new TypeError('boom');
      },
      publicKeys: async () => [],
    };
    const harness = await createHarness({ keys: broken });
    const answer = await harness.exchange(harness.request(await harness.subjectToken()));
    expect(answer).toMatchObject({ error: 'server_error' });
    expect(JSON.stringify(answer)).not.toMatch(/boom|at /);
  });

  it('maps answers to HTTP statuses for the local stack', () => {
    expect(exchangeHttpStatus({ error: 'invalid_scope' })).toBe(400);
    expect(
      exchangeHttpStatus({
        access_token: 't',
        issued_token_type: accessTokenTypeUri,
        token_type: 'Bearer',
        expires_in: 1,
        scope: 's',
      }),
    ).toBe(200);
  });
});

describe('exchange: requests as the local stack parses them', () => {
  it('accepts a form-decoded object with the same fields', async () => {
    const harness = await createHarness();
    const form = new URLSearchParams({
      grant_type: tokenExchangeGrantType,
      subject_token: await harness.subjectToken(),
      subject_token_type: accessTokenTypeUri,
      audience: catalogAudience,
      scope: 'catalog:read',
    });
    const answer = await harness.exchange(Object.fromEntries(form));
    expect(answer).toMatchObject({ token_type: 'Bearer' });
  });
});
