import { basketAuthorizerEvent, buildInProcessGateway } from './in-process.js';
import { startBenchIssuer } from './keys.js';

/** The heap and resident set after a full collection, with so many tokens through. */
export interface MemoryCheckpoint {
  readonly tokens: number;
  readonly heapMiB: number;
  readonly rssMiB: number;
}

export interface MemoryResult {
  readonly tokens: number;
  /** Whether `--expose-gc` let every checkpoint collect garbage first. */
  readonly collected: boolean;
  /** After warm-up, then after each tenth of the run. */
  readonly checkpoints: readonly MemoryCheckpoint[];
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * Sends `count` distinct, valid client tokens through the authorizer (each
 * one a miss of every cache, and an exchange) and reads the process's memory
 * after a full collection at every tenth: bounded caches show as a flat
 * line once they have filled. The issuer signs ES256 here only because a
 * million RSA signatures would take most of an hour; the authorizer's and
 * the exchange's caches are what is measured.
 */
export async function measureMemory(
  count: number,
  progress: (done: number, total: number) => void,
): Promise<MemoryResult> {
  const issuer = await startBenchIssuer('ES256');
  const checkpoints: MemoryCheckpoint[] = [];
  const checkpoint = (tokens: number) => {
    global.gc?.();
    const usage = process.memoryUsage();
    checkpoints.push({ tokens, heapMiB: mib(usage.heapUsed), rssMiB: mib(usage.rss) });
  };
  try {
    const { authorizer } = await buildInProcessGateway(issuer);
    for (let i = 0; i < 1000; i++) {
      await authorizer.authorize(basketAuthorizerEvent(await issuer.token(`w${i}`)));
    }
    checkpoint(0);

    // Sixteen requests in flight at a time, as a busy event loop would have
    // them: jose signs on the thread pool, so a million tokens take minutes.
    const tenth = Math.max(Math.floor(count / 10), 1);
    let next = 0;
    const worker = async (until: number) => {
      while (next < until) {
        const i = next++;
        const event = basketAuthorizerEvent(await issuer.token(`m${i}`));
        const result = await authorizer.authorize(event);
        if (result.policyDocument.Statement[0]?.Effect !== 'Allow')
          throw new Error('token refused');
      }
    };
    for (let done = 0; done < count; done += tenth) {
      const target = Math.min(done + tenth, count);
      await Promise.all(Array.from({ length: 16 }, () => worker(target)));
      checkpoint(target);
      progress(target, count);
    }
    return { tokens: count, collected: global.gc !== undefined, checkpoints };
  } finally {
    await issuer.close();
  }
}
