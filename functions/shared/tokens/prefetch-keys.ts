import type { Logger } from '../logging/logger.js';

/**
 * Fetches keys during a function's initialisation, so that the first
 * request does not pay for them. A failure is logged by code and swallowed:
 * the container still starts, each request then fetches the keys itself and
 * fails closed (500) while they stay unreachable, so one slow key endpoint
 * at start-up never leaves a function unable to start.
 *
 * Awaited at module scope (top-level await): Lambda may freeze a promise
 * left running when initialisation ends.
 *
 * @example
 * await prefetchKeys(() => verifier.hydrate(), logger);
 */
export async function prefetchKeys(
  fetch: () => Promise<unknown>,
  logger: Logger,
): Promise<boolean> {
  try {
    await fetch();
    return true;
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error
        ? String(error.code)
        : 'key_prefetch_failed';
    logger.error('key prefetch failed', { code });
    return false;
  }
}
