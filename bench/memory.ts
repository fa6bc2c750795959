import { basketAuthorizerEvent, buildInProcessGateway } from './in-process.js';
import { startBenchIssuer } from './keys.js';

export interface MemoryResult {
  readonly tokens: number;
  /** Resident set size after warm-up and after every token, in MiB. */
  readonly rssBeforeMiB: number;
  readonly rssAfterMiB: number;
  readonly heapAfterMiB: number;
  /** The largest the RSS grew over the run, in MiB. */
  readonly rssPeakMiB: number;
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * Sends `count` distinct, valid client tokens through the authorizer (each
 * one a cache miss and an exchange) and reads the process's memory. The
 * issuer signs ES256 here only because a million RSA signatures would take
 * the benchmark most of an hour; the authorizer's caches are what is measured.
 */
export async function measureMemory(
  count: number,
  progress: (done: number, total: number) => void,
): Promise<MemoryResult> {
  const issuer = await startBenchIssuer('ES256');
  try {
    const { authorizer } = await buildInProcessGateway(issuer);
    for (let i = 0; i < 1000; i++)
      await authorizer.authorize(basketAuthorizerEvent(await issuer.token(`w${i}`)));
    global.gc?.();
    const before = process.memoryUsage();
    let peak = before.rss;

    // Sixteen requests in flight at a time, as a busy container's event loop
    // would have them: signing runs on the thread pool, so this finishes a
    // million tokens in minutes rather than most of an hour.
    const report = Math.max(Math.floor(count / 10), 1);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const event = basketAuthorizerEvent(await issuer.token(`m${i}`));
        const result = await authorizer.authorize(event);
        if (result.policyDocument.Statement[0]?.Effect !== 'Allow')
          throw new Error('token refused');
        done++;
        if (done % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
        if (done % report === 0) progress(done, count);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));

    global.gc?.();
    const after = process.memoryUsage();
    return {
      tokens: count,
      rssBeforeMiB: mib(before.rss),
      rssAfterMiB: mib(after.rss),
      heapAfterMiB: mib(after.heapUsed),
      rssPeakMiB: mib(Math.max(peak, after.rss)),
    };
  } finally {
    await issuer.close();
  }
}
