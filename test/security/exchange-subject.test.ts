import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ExchangeAnswer } from '../../functions/exchange/exchange.js';
import { tokenExchangeSuccessSchema } from '../../functions/shared/exchange-protocol.js';
import {
  basketAudience,
  catalogAudience,
  createHarness,
  exchangeIssuer,
} from '../exchange/harness.js';
import { nowSeconds } from '../support/test-issuer.js';

/**
 * What a client can put into its own token to steer the exchange: lifetimes
 * the authorizer cannot read, audiences naming services, an `act` naming
 * the gateway, or a narrow token in place of a client token. The subject's
 * issuer signs what it likes; the exchange must mint only what the policy
 * allows, in a shape the authorizer accepts.
 */

function granted(answer: ExchangeAnswer) {
  if ('error' in answer) throw new Error(`refused: ${answer.error}`);
  return answer;
}

describe('the lifetime of a narrow token', () => {
  it('is whole seconds, capped at a fractional subject exp the authorizer accepts', async () => {
    // Prepare: JWT NumericDates may be fractional; this one ends inside the 300 s lifetime.
    const harness = await createHarness();
    const subjectExp = nowSeconds() + 100.75;
    const subject = await harness.subjectToken({ exp: subjectExp });

    // Act
    const answer = await harness.exchange(harness.request(subject));

    // Assess: the answer passes the authorizer's schema (an integer expires_in) ...
    expect(tokenExchangeSuccessSchema.safeParse(answer).success).toBe(true);
    const { access_token: token, expires_in: expiresIn } = granted(answer);
    // ... and the token never outlives the subject.
    const { exp } = decodeJwt(token);
    expect(exp).toBe(Math.floor(subjectExp));
    expect(Number.isInteger(expiresIn)).toBe(true);
    await harness.verifyAs(catalogAudience, token, ['catalog:read']);
  });

  it('is refused when less than one whole second of the subject is left', async () => {
    const harness = await createHarness();
    const subject = await harness.subjectToken({ exp: nowSeconds() + 0.5 });

    const answer = await harness.exchange(harness.request(subject));

    expect(answer).toMatchObject({ error: 'invalid_request' });
  });
});

describe('the subject token cannot choose the target', () => {
  it('refuses a basket token to a catalog client whose aud also names the basket', async () => {
    // Prepare: the client's issuer put the basket's audience next to the gateway's.
    const harness = await createHarness();
    const subject = await harness.subjectToken({
      aud: ['urn:narrowgate:gateway', basketAudience],
      scope: 'catalog.read',
    });

    // Act
    const answer = await harness.exchange(
      harness.request(subject, { audience: basketAudience, scope: 'basket:read' }),
    );

    // Assess
    expect(answer).toMatchObject({ error: 'invalid_scope' });
  });

  it('mints for the asked service alone, whatever else the subject aud names', async () => {
    const harness = await createHarness();
    const subject = await harness.subjectToken({
      aud: ['urn:narrowgate:gateway', basketAudience, catalogAudience],
    });

    const { access_token: token } = granted(await harness.exchange(harness.request(subject)));

    expect(decodeJwt(token).aud).toBe(catalogAudience);
    await expect(harness.verifyAs(basketAudience, token)).rejects.toMatchObject({
      code: 'token_audience_not_allowed',
    });
  });

  it.each([
    ['another service', { audience: basketAudience, scope: 'catalog:read' }],
    ['two services at once', { scope: 'catalog:read basket:read' }],
    ['more than the gateway scope opens', { scope: 'catalog:read catalog:write' }],
  ])('refuses scopes of %s', async (_case, fields) => {
    const harness = await createHarness();
    const subject = await harness.subjectToken({ scope: 'catalog.read' });

    const answer = await harness.exchange(harness.request(subject, fields));

    expect(answer).toMatchObject({ error: 'invalid_scope' });
  });

  it.each([['catalog\uFF1Aread'], ['catalog:read\tbasket:read'], ['catalog:read\n']])(
    'refuses the malformed scope %j before the policy',
    async (scope) => {
      const harness = await createHarness();
      const subject = await harness.subjectToken({ scope: 'catalog.read' });

      const answer = await harness.exchange(harness.request(subject, { scope }));

      expect(answer).toMatchObject({ error: 'invalid_request' });
    },
  );
});

describe('act in the subject token', () => {
  it('never makes the subject the actor: act.sub is the gateway, the claim nested', async () => {
    // Prepare: the client claims to be the gateway acting for someone else.
    const harness = await createHarness();
    const forged = { sub: 'urn:narrowgate:gateway' };
    const subject = await harness.subjectToken({ sub: 'user-1', act: forged });

    // Act
    const { access_token: token } = granted(await harness.exchange(harness.request(subject)));

    // Assess: the subject stays the subject; the forged act is only history.
    const verified = await harness.verifyAs(catalogAudience, token, ['catalog:read']);
    expect(verified).toMatchObject({ subject: 'user-1', actor: 'urn:narrowgate:gateway' });
    expect(decodeJwt(token).act).toEqual({ sub: 'urn:narrowgate:gateway', act: forged });
  });

  it.each([[['urn:narrowgate:gateway']], [null], [7]])(
    'refuses an act that is not an object: %j',
    async (act) => {
      const harness = await createHarness();
      const subject = await harness.subjectToken({ act: act as never });

      const answer = await harness.exchange(harness.request(subject));

      expect(answer).toMatchObject({ error: 'invalid_request' });
    },
  );
});

describe('a narrow token as the subject', () => {
  it('is refused: the exchange is not an issuer it accepts', async () => {
    // Prepare: a real narrow token for the catalog.
    const harness = await createHarness();
    const first = granted(await harness.exchange(harness.request(await harness.subjectToken())));

    // Act: exchange it again, for the basket.
    const answer = await harness.exchange(
      harness.request(first.access_token, { audience: basketAudience, scope: 'basket:read' }),
    );

    // Assess
    expect(answer).toMatchObject({ error: 'invalid_request' });
    expect(decodeJwt(first.access_token).iss).toBe(exchangeIssuer);
  });
});
