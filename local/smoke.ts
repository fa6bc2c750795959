import { type ShopClient, shopClients } from '../functions/shared/definition/shop-definition.js';
import { exitWithUsage, parseCommandLine, urlArgument } from './command-line.js';
import { fetchClientCredentialsToken } from './identity/identity-provider.js';
import { isShopClient, localClientIds } from './identity/local-clients.js';
import { formatOutcomes, runScenarios, type ScenarioTarget } from './scenarios.js';

/**
 * `npm run smoke`: the demo's scenarios against a deployed stack.
 *
 *   npm run smoke -- --api https://{id}.execute-api.{region}.amazonaws.com/v1 \
 *     --token-url https://{domain}.auth.{region}.amazoncognito.com/oauth2/token \
 *     --client shop-web={clientId}:{secret} --client analytics={clientId}:{secret}
 *
 * `--client <id>:<secret>` also works when the client id is the shop's
 * client name. Tokens are asked for without `scope`, so the provider grants
 * each client every scope it is allowed (Cognito's rule); with
 * `--scope-prefix <p>` (`''` for none, the resource server's identifier and
 * `/` for Cognito) each client asks for its shop scopes instead, for
 * providers that grant nothing unasked, such as the local one. Scenarios that need
 * the inside-network port or test-only tokens, or a client not given, are
 * reported as not applicable: a deployed stack has neither, by design.
 * Secrets are read from the arguments and never printed.
 */
const usage =
  'usage: npm run smoke -- --api <url> --token-url <url> --client <name>=<id>:<secret> ... ' +
  '[--scope-prefix <p>]';
const { values } = parseCommandLine(usage, {
  options: {
    api: { type: 'string' },
    'token-url': { type: 'string' },
    client: { type: 'string', multiple: true, default: [] },
    'scope-prefix': { type: 'string' },
  },
});

if (!values.api || !values['token-url']) exitWithUsage(usage);
const api = urlArgument(usage, '--api', values.api);
const tokenUrl = urlArgument(usage, '--token-url', values['token-url']);

const credentials = new Map<ShopClient, { id: string; secret: string }>();
for (const argument of values.client) {
  const match = /^(?:([^=]+)=)?([^:]+):(.+)$/.exec(argument);
  const name = match?.[1] ?? match?.[2];
  if (!match || !name || !isShopClient(name)) {
    exitWithUsage(usage, `--client: name one of ${localClientIds.join(', ')}`);
  }
  credentials.set(name, { id: match[2] as string, secret: match[3] as string });
}

const tokens = new Map<ShopClient, Promise<string>>();
const target: ScenarioTarget = {
  gatewayUrl: api,
  clients: new Set(credentials.keys()),
  clientToken(client) {
    let token = tokens.get(client);
    if (!token) {
      const { id, secret } = credentials.get(client) as { id: string; secret: string };
      const prefix = values['scope-prefix'];
      const scopes = prefix === undefined ? [] : shopClients[client].map((s) => `${prefix}${s}`);
      token = fetchClientCredentialsToken(tokenUrl, id, secret, scopes);
      tokens.set(client, token);
    }
    return token;
  },
};

const outcomes = await runScenarios(target);
console.log(formatOutcomes(outcomes));
process.exitCode = outcomes.some((outcome) => outcome.verdict === 'FAIL') ? 1 : 0;
