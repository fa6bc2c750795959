import { parseCommandLine, urlArgument } from './command-line.js';
import { remoteLocalTarget } from './local-target.js';
import { formatOutcomes, runScenarios } from './scenarios.js';
import { readStackUrls } from './stack-file.js';

/**
 * `npm run demo`: the scenario walkthrough against the running local stack
 * (started by `npm start`, found through `.local/stack.json`, or on the
 * default ports; a flag overrides each URL). Exits 1 when any scenario fails.
 */
const usage = 'usage: npm run demo -- [--gateway <url>] [--inside <url>] [--identity <url>]';
const { values } = parseCommandLine(usage, {
  options: {
    gateway: { type: 'string' },
    inside: { type: 'string' },
    identity: { type: 'string' },
  },
});
const urlOf = (flag: 'gateway' | 'inside' | 'identity', found: string) => {
  const given = values[flag];
  return given === undefined ? found : urlArgument(usage, `--${flag}`, given);
};
const found = await readStackUrls();
const urls = {
  gatewayUrl: urlOf('gateway', found.gatewayUrl),
  insideUrl: urlOf('inside', found.insideUrl),
  identityUrl: urlOf('identity', found.identityUrl),
};

try {
  await fetch(`${urls.identityUrl}/.well-known/openid-configuration`);
} catch {
  console.error(`no local stack answers at ${urls.identityUrl}: start one with npm start`);
  process.exit(1);
}

const outcomes = await runScenarios(remoteLocalTarget(urls));
console.log(formatOutcomes(outcomes));
process.exitCode = outcomes.some((outcome) => outcome.verdict === 'FAIL') ? 1 : 0;
