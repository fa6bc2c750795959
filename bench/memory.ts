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

    const report = Math.max(Math.floor(count / 10), 1);
    for (let i = 0; i < count; i++) {
      const result = await authorizer.authorize(basketAuthorizerEvent(await issuer.token(`m${i}`)));
      if (result.policyDocument.Statement[0]?.Effect !== 'Allow') throw new Error('token refused');
      if (i % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      if ((i + 1) % report === 0) progress(i + 1, count);
    }

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
