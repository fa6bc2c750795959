import { parseArgs } from 'node:util';
import { formatBanner } from './banner.js';
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
const { values } = parseArgs({
  options: {
    'gateway-port': { type: 'string' },
    'inside-port': { type: 'string' },
    'identity-port': { type: 'string' },
    'dynamo-port': { type: 'string' },
    'cache-ttl': { type: 'string' },
    'no-demo': { type: 'boolean', default: false },
  },
});

function portOf(flag: string | undefined, variable: string, fallback: number): number {
  const text = flag ?? process.env[variable];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${flag === undefined ? variable : 'port flag'} must be a port number`);
  }
  return port;
}

// Request lines are shown once the demo table is out, so they never interleave.
let showRequests = false;
let stack: LocalStack | undefined;
try {
  stack = await startLocalStack({
    ports: {
      gateway: portOf(values['gateway-port'], 'NARROWGATE_GATEWAY_PORT', defaultPorts.gateway),
      inside: portOf(values['inside-port'], 'NARROWGATE_INSIDE_PORT', defaultPorts.inside),
      identity: portOf(values['identity-port'], 'NARROWGATE_IDENTITY_PORT', defaultPorts.identity),
      dynamo: portOf(values['dynamo-port'], 'NARROWGATE_DYNAMO_PORT', defaultPorts.dynamo),
    },
    cacheTtlSeconds: portOf(
      values['cache-ttl'],
      'NARROWGATE_CACHE_TTL',
      defaultAuthorizerCacheTtlSeconds,
    ),
    log: (line) => {
      if (showRequests) console.log(line);
    },
  });
} catch (error) {
  const code = (error as { code?: unknown }).code;
  console.error(
    code === 'EADDRINUSE'
      ? `a port is taken (${(error as Error).message}); pick others, e.g. npm start -- --gateway-port 8080`
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
