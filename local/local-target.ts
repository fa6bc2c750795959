import { type ShopClient, shopClients } from '../functions/shared/definition/shop-definition.js';
import { sendRequest } from './http/send-request.js';
import { fetchClientCredentialsToken } from './identity/identity-provider.js';
import { localClientIds, localClientSecrets } from './identity/local-clients.js';
import type { TestTokenSigner } from './identity/test-token-signer.js';
import type { ScenarioTarget } from './scenarios.js';
import type { LocalStack } from './stack.js';
import type { StackUrls } from './stack-file.js';

/** The scenario target for a stack started in this process (start, tests). */
export function inProcessTarget(stack: LocalStack): ScenarioTarget {
  return {
    gatewayUrl: stack.gatewayUrl,
    insideUrl: stack.insideUrl,
    testTokens: stack.identity.testTokens,
    clients: new Set(localClientIds),
    clientToken: memoize((client) => stack.identity.fetchToken(client)),
  };
}

/** The scenario target for a stack running in another process (`npm run demo`). */
export function remoteLocalTarget(urls: StackUrls): ScenarioTarget {
  return {
    gatewayUrl: urls.gatewayUrl,
    insideUrl: urls.insideUrl,
    testTokens: remoteTestTokens(urls.insideUrl),
    clients: new Set(localClientIds),
    clientToken: memoize((client) => fetchLocalToken(urls.identityUrl, client)),
  };
}

/** A token from the local provider, for every scope the client is registered for. */
export async function fetchLocalToken(identityUrl: string, client: ShopClient): Promise<string> {
  return await fetchClientCredentialsToken(
    `${identityUrl}/token`,
    client,
    localClientSecrets[client],
    shopClients[client],
  );
}

/** The test-only tokens of a local stack in another process, over its inside port. */
function remoteTestTokens(insideUrl: string): TestTokenSigner {
  const mint = async (kind: string, client: string, scopes: readonly string[] = []) => {
    const answer = await sendRequest(insideUrl, `/test-tokens/${kind}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client, scopes }),
    });
    if (answer.status !== 200) throw new Error(`test token "${kind}": ${answer.status}`);
    return (JSON.parse(answer.body) as { access_token: string }).access_token;
  };
  return {
    expired: (client, scopes) => mint('expired', client, scopes),
    otherAudience: (client, scopes) => mint('other-audience', client, scopes),
    permissive: (client) => mint('permissive', client),
  };
}

/** One token per client per run: the provider is asked once, as a real client would. */
function memoize(fetch: (client: ShopClient) => Promise<string>) {
  const tokens = new Map<ShopClient, Promise<string>>();
  return (client: ShopClient) => {
    let token = tokens.get(client);
    if (!token) {
      token = fetch(client);
      tokens.set(client, token);
    }
    return token;
  };
}
