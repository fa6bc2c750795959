import { formatBanner } from './banner.js';
import { exitWithUsage, parseCommandLine } from './command-line.js';
import { defaultAuthorizerCacheTtlSeconds } from './gateway/gateway-server.js';
import { inProcessTarget } from './local-target.js';
import { formatOutcomes, runScenarios } from './scenarios.js';
import { defaultPorts, type LocalStack, startLocalStack } from './stack.js';
import { removeStackFile, writeStackFile } from './stack-file.js';

/**
 * `npm start`: the whole pattern on 127.0.0.1, the demo once, then serving
 * until Ctrl-C. Ports: flags, else NARROWGATE_*_PORT, else 3000–3003.
 *
 *   npm start -- --gateway-port 8080 --cache-ttl 0 --no-demo
 */
const usage =
  'usage: npm start -- [--gateway-port <n>] [--inside-port <n>] [--identity-port <n>] ' +
  '[--dynamo-port <n>] [--cache-ttl <seconds>] [--no-demo]';
const { values } = parseCommandLine(usage, {
  options: {
    'gateway-port': { type: 'string' },
    'inside-port': { type: 'string' },
    'identity-port': { type: 'string' },
    'dynamo-port': { type: 'string' },
    'cache-ttl': { type: 'string' },
    'no-demo': { type: 'boolean', default: false },
  },
});

/** The flag's value, else the variable's, else the fallback; a whole number in range. */
function wholeNumberOf(
  flag: keyof typeof values,
  variable: string,
  fallback: number,
  max: number,
): number {
  const fromFlag = values[flag];
  const text = typeof fromFlag === 'string' ? fromFlag : process.env[variable];
  if (text === undefined || text === '') return fallback;
  const number = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isInteger(number) || number > max) {
    const source = typeof fromFlag === 'string' ? `--${flag}` : variable;
    exitWithUsage(usage, `${source} must be a whole number from 0 to ${max}`);
  }
  return number;
}

const portOf = (flag: keyof typeof values, variable: string, fallback: number) =>
  wholeNumberOf(flag, variable, fallback, 65_535);
// API Gateway's own ceiling for an authorizer cache; the stack's limit is lower (see infra).
const maxCacheTtlSeconds = 3600;

// Read before anything starts, so a bad value stops the command with nothing to clean up.
const ports = {
  gateway: portOf('gateway-port', 'NARROWGATE_GATEWAY_PORT', defaultPorts.gateway),
  inside: portOf('inside-port', 'NARROWGATE_INSIDE_PORT', defaultPorts.inside),
  identity: portOf('identity-port', 'NARROWGATE_IDENTITY_PORT', defaultPorts.identity),
  dynamo: portOf('dynamo-port', 'NARROWGATE_DYNAMO_PORT', defaultPorts.dynamo),
};
const cacheTtlSeconds = wholeNumberOf(
  'cache-ttl',
  'NARROWGATE_CACHE_TTL',
  defaultAuthorizerCacheTtlSeconds,
  maxCacheTtlSeconds,
);

// Request lines are shown once the demo table is out, so they never interleave.
let showRequests = false;
let stack: LocalStack | undefined;
try {
  stack = await startLocalStack({
    ports,
    cacheTtlSeconds,
    log: (line) => {
      if (showRequests) console.log(line);
    },
  });
} catch (error) {
  // A taken or privileged port is the user's to change, so one line; anything else is a bug.
  const code = (error as { code?: unknown }).code;
  const reason = code === 'EADDRINUSE' ? 'a port is taken' : 'a port needs privileges';
  const advice = 'pick others, e.g. npm start -- --gateway-port 8080';
  console.error(
    code === 'EADDRINUSE' || code === 'EACCES'
      ? `${reason} (${(error as Error).message}); ${advice}`
      : error,
  );
  process.exit(1);
}
const running = stack;

// Shutdown: every server closed, the stack file removed.
let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local stack`);
  await removeStackFile();
  await running.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

await writeStackFile({
  gatewayUrl: running.gatewayUrl,
  insideUrl: running.insideUrl,
  identityUrl: running.identity.issuer,
});
console.log(formatBanner(running));

if (!values['no-demo']) {
  console.log('\ndemo (npm run demo runs it again):\n');
  const outcomes = await runScenarios(inProcessTarget(running));
  console.log(formatOutcomes(outcomes));
  if (outcomes.some((outcome) => outcome.verdict === 'FAIL')) {
    console.log('\nsome scenarios FAILED; the stack keeps serving so you can look into it');
    process.exitCode = 1;
  }
}

showRequests = true;
console.log('\nserving; requests are logged below (never their tokens). Ctrl-C stops.\n');
