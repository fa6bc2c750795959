import { InvalidTokenError } from '../errors.js';

/**
 * A compact JWS whose three parts are canonical base64url: no padding, no
 * character outside the alphabet, and zero bits in the last character's
 * unused positions.
 *
 * Decoders ignore those unused bits, so without this check several strings
 * decode to one signature and a token changed in its last character still
 * verifies. The signature stays valid either way, but every changed token
 * must be refused: caches, logs and replay checks key on the token text.
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
