import { InvalidTokenError } from '../errors.js';

/**
 * A compact JWS whose three parts are canonical base64url: no padding, no
 * character outside the alphabet, and zero bits in the last character's
 * unused positions.
 *
 * Decoders ignore those unused bits, so without this check several strings
 * decode to one signature and a token changed in its last character still
 * verifies. This refuses those encoding variants only: an ECDSA signature
 * stays malleable (`s` and `n − s` both verify, and ordinary signers make
 * either), so a second valid text of the same content remains possible.
 * Nothing here keys trust on the text being unique: the verified-token
 * cache only saves work, and a new text is simply verified in full.
 */
export function assertCanonicalEncoding(token: string): void {
  const parts = token.split('.');
  const canonical =
    parts.length === 3 &&
    parts.every((part) => Buffer.from(part, 'base64url').toString('base64url') === part);
  if (!canonical) {
    throw new InvalidTokenError('token_malformed', 'token is not canonical base64url JWS');
  }
}
