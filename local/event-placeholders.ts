import { type ShopClient, shopClients } from '../functions/shared/definition/shop-definition.js';
import {
  accessTokenTypeUri,
  tokenExchangeGrantType,
} from '../functions/shared/tokens/narrow-token-profile.js';
import { isShopClient } from './identity/local-clients.js';
import type { LocalStack } from './stack.js';

/**
 * Fills the placeholders of an event in `events/` with fresh tokens, so a
 * committed event never holds a token and never goes stale:
 *
 * - `{{token:<client>}}`: the client's access token from the local provider;
 * - `{{test-token:<expired|other-audience|permissive>:<client>}}`: a test-only token;
 * - `{{narrow:<client>:<service>:<scope>}}`: a narrow token from the exchange.
 */
export async function fillPlaceholders(text: string, stack: LocalStack): Promise<string> {
  const found = [...new Set(text.match(/\{\{[^{}]+\}\}/g) ?? [])];
  let filled = text;
  for (const placeholder of found) {
    const value = await resolve(placeholder.slice(2, -2).split(':'), stack);
    filled = filled.split(placeholder).join(value);
  }
  return filled;
}

async function resolve(parts: string[], stack: LocalStack): Promise<string> {
  const [kind, ...rest] = parts;
  if (kind === 'token') return await stack.identity.fetchToken(clientOf(rest[0]));
  if (kind === 'test-token') {
    const client = clientOf(rest[1]);
    const scopes = shopClients[client];
    if (rest[0] === 'expired') return await stack.identity.testTokens.expired(client, scopes);
    if (rest[0] === 'other-audience') {
      return await stack.identity.testTokens.otherAudience(client, scopes);
    }
    if (rest[0] === 'permissive') return await stack.identity.testTokens.permissive(client);
  }
  if (kind === 'narrow') {
    // Service scopes hold a colon themselves: everything after the service is the scope.
    const [client, serviceName] = rest;
    const scope = rest.slice(2).join(':');
    const service = stack.definition.services.find((s) => s.name === serviceName);
    if (!service || !scope) throw new Error(`{{narrow:...}} needs <client>:<service>:<scope>`);
    const answer = (await stack.functions.exchange({
      grant_type: tokenExchangeGrantType,
      subject_token: await stack.identity.fetchToken(clientOf(client)),
      subject_token_type: accessTokenTypeUri,
      audience: service.audience,
      scope,
    })) as { access_token?: string; error?: string };
    if (!answer.access_token) throw new Error(`the exchange refused: ${answer.error}`);
    return answer.access_token;
  }
  throw new Error(`unknown placeholder {{${parts.join(':')}}}`);
}

function clientOf(name: string | undefined): ShopClient {
  if (!name || !isShopClient(name)) throw new Error(`unknown client "${name}" in a placeholder`);
  return name;
}
