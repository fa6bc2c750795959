import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';

export interface LoadResult {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Non-2xx answers: any is a broken benchmark, not a slow one. */
  readonly errors: number;
}

/** Drives one route of a server on 127.0.0.1 with autocannon, for a bounded time. */
export async function loadRoute(
  name: string,
  address: AddressInfo,
  path: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<LoadResult> {
  const result = await autocannon({
    url: `http://127.0.0.1:${address.port}${path}`,
    headers,
    connections: 10,
    duration: seconds,
  });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}
