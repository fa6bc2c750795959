import type { Logger } from '../shared/logging/logger.js';
import type { AccessTokenVerifier } from '../shared/tokens/access-token-verifier.js';

/**
 * Fetches every issuer's JWKS at cold start. A failure is logged and
 * swallowed: the container still starts, each request then fetches the keys
 * itself and answers 500 while they stay unreachable, so that one slow key
 * endpoint at start-up never leaves the function unable to start.
 */
export async function prefetchSigningKeys(
  verifier: AccessTokenVerifier,
  logger: Logger,
): Promise<boolean> {
  try {
    await verifier.hydrate();
    return true;
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error
        ? String(error.code)
        : 'jwks_unreachable';
    logger.error('signing key prefetch failed', { code });
    return false;
  }
}
