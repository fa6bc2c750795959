import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../functions/shared/errors.js';
import { createAccessTokenVerifier } from '../../functions/shared/tokens/access-token-verifier.js';
import { assertCanonicalEncoding } from '../../functions/shared/tokens/canonical-encoding.js';
import { httpsIssuer } from '../support/definitions.js';
import { createTestSigner, jwksOf, memoryJwksCache, nowSeconds } from '../support/test-issuer.js';

const base64urlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The token with its last character changed in the unused low bits only. */
function withSpareBitsChanged(token: string): string {
  const value = base64urlAlphabet.indexOf(token.at(-1) ?? 'A');
  return token.slice(0, -1) + base64urlAlphabet[value ^ 0b0001];
}

describe('canonical encoding', () => {
  it('accepts what a signer writes', async () => {
    const signer = await createTestSigner('ES256');
    const token = await signer.sign({ sub: 'user-123' });

    expect(() => assertCanonicalEncoding(token)).not.toThrow();
  });

  it.each([
    ['padding', 'e30=.e30.AAAA'],
    ['the standard base64 alphabet', 'e30.e30.AA+/'],
    ['a character outside the alphabet', 'e30.e30.AA!A'],
    ['non-zero unused bits', 'e30.e30.AB'],
    ['two parts', 'e30.e30'],
    ['four parts', 'e30.e30.AAAA.AAAA'],
  ])('refuses %s', (_name, token) => {
    expect(() => assertCanonicalEncoding(token)).toThrow(InvalidTokenError);
  });

  it('makes the access-token verifier refuse a signature changed in its unused bits', async () => {
    // Prepare: RS256 signatures leave four unused bits in their last character.
    const signer = await createTestSigner('RS256');
    const { cache } = memoryJwksCache({ [httpsIssuer.jwksUri]: jwksOf(signer) });
    const verifier = createAccessTokenVerifier(
      [
        {
          ...httpsIssuer,
          algorithms: ['RS256'],
          acceptUntypedTokens: false,
          clockLeewaySeconds: 30,
        },
      ],
      { jwksCache: cache },
    );
    const token = await signer.sign(
      {
        iss: httpsIssuer.issuer,
        aud: httpsIssuer.audience,
        sub: 'user-123',
        scope: 'catalog.read',
        exp: nowSeconds() + 600,
      },
      { typ: 'at+jwt' },
    );
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'user-123' });

    // Act
    const refusal = verifier.verify(withSpareBitsChanged(token));

    // Assess
    await expect(refusal).rejects.toMatchObject({ code: 'token_malformed' });
  });
});
