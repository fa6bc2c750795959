import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Bundle, BundleName } from './bundles.js';

/**
 * The child: a fresh Node process that loads one bundle, hands its handler
 * one event and reports, in milliseconds since the process began, when the
 * bundle had loaded and when the first answer came back.
 */
const childScript = `
const { performance } = await import('node:perf_hooks');
const module = await import(process.env.BENCH_BUNDLE_URL);
const loaded = performance.now();
const answer = await module.handler(JSON.parse(process.env.BENCH_EVENT), { awsRequestId: 'cold' });
const answered = performance.now();
const outcome = answer && (answer.statusCode ?? answer.policyDocument?.Statement?.[0]?.Effect ??
  (answer.access_token ? 'token' : answer.error));
process.stdout.write(JSON.stringify({ loaded, answered, outcome: String(outcome) }));
`;

export interface ColdStart {
  readonly name: BundleName;
  /** Median ms from process start to the bundle loaded. */
  readonly loadMs: number;
  /** Median ms from process start to the first answer. */
  readonly firstAnswerMs: number;
  /** Median wall ms from spawn to exit, Node's own boot included. */
  readonly processMs: number;
  /** Half the range of first-answer times over the runs, as a share of the median. */
  readonly spread: number;
  /** What the first answer was: a status code, Allow, a token. */
  readonly outcome: string;
}

export async function measureColdStart(
  bundle: Bundle,
  event: unknown,
  env: NodeJS.ProcessEnv,
  runs: number,
): Promise<ColdStart> {
  const samples: { loaded: number; answered: number; wall: number; outcome: string }[] = [];
  for (let run = 0; run < runs; run++) samples.push(await runChild(bundle, event, env));
  const median = (values: number[]) =>
    values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const answers = samples.map((s) => s.answered);
  const firstAnswerMs = median([...answers]);
  return {
    name: bundle.name,
    loadMs: median(samples.map((s) => s.loaded)),
    firstAnswerMs,
    processMs: median(samples.map((s) => s.wall)),
    spread: (Math.max(...answers) - Math.min(...answers)) / 2 / firstAnswerMs,
    outcome: samples[0]?.outcome ?? '',
  };
}

function runChild(bundle: Bundle, event: unknown, env: NodeJS.ProcessEnv) {
  return new Promise<{ loaded: number; answered: number; wall: number; outcome: string }>(
    (done, fail) => {
      const start = process.hrtime.bigint();
      const child = spawn(process.execPath, ['--input-type=module', '-e', childScript], {
        env: {
          PATH: process.env.PATH,
          ...env,
          BENCH_BUNDLE_URL: `file://${resolve(bundle.file)}`,
          BENCH_EVENT: JSON.stringify(event),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
      });
      child.stderr.on('data', (chunk) => {
        err += chunk;
      });
      child.on('close', (code) => {
        const wall = Number(process.hrtime.bigint() - start) / 1e6;
        if (code !== 0)
          return fail(new Error(`${bundle.name} cold start failed: ${err.slice(-400)}`));
        try {
          done({ ...JSON.parse(out), wall });
        } catch {
          fail(
            new Error(`${bundle.name} printed no result: ${out.slice(-200)} ${err.slice(-200)}`),
          );
        }
      });
    },
  );
}
