import { parseArgs } from 'node:util';
import { remoteLocalTarget } from './local-target.js';
import { formatOutcomes, runScenarios } from './scenarios.js';
import { readStackUrls } from './stack-file.js';

/**
 * `npm run demo`: the scenario walkthrough against the running local stack
 * (started by `npm start`, found through `.local/stack.json`, or on the
 * default ports). Exits 1 when any scenario fails.
 */
const { values } = parseArgs({
  options: {
    gateway: { type: 'string' },
    inside: { type: 'string' },
    identity: { type: 'string' },
  },
});
const found = await readStackUrls();
const urls = {
  gatewayUrl: values.gateway ?? found.gatewayUrl,
  insideUrl: values.inside ?? found.insideUrl,
  identityUrl: values.identity ?? found.identityUrl,
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
