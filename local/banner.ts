import { shopClients } from '../functions/shared/definition/shop-definition.js';
import { localClientSecrets } from './identity/local-clients.js';
import { passThroughPrefix } from './passthrough-variant.js';
import type { LocalStack } from './stack.js';

/**
 * What `npm start` prints: what runs where, the clients with their local
 * secrets (local-only values, documented in the README), and curl lines.
 */
export function formatBanner(stack: LocalStack): string {
  const { gatewayUrl, insideUrl } = stack;
  const identity = stack.identity.issuer;
  const clients = Object.entries(shopClients).map(
    ([client, scopes]) =>
      `  ${client.padEnd(14)} secret ${localClientSecrets[client as keyof typeof shopClients].padEnd(28)} scopes ${scopes.join(' ')}`,
  );
  return [
    'narrowgate local stack (127.0.0.1 only, nothing reaches AWS)',
    '',
    `  gateway (REST API emulator)  ${gatewayUrl}`,
    `    narrow-token JWKS           ${gatewayUrl}/.well-known/jwks.json`,
    `  inside the network           ${insideUrl}  (services with no gateway; POST /exchange;`,
    `                               ${passThroughPrefix}/... the pass-through variant)`,
    `  OpenID provider              ${identity}  (discovery: /.well-known/openid-configuration)`,
    `  DynamoDB (dynalite)          ${stack.dynamo.url}  (in memory, catalog seeded)`,
    `  authorizer cache TTL         ${stack.authorizerCache.ttlSeconds} s`,
    '',
    'clients (client credentials, local secrets):',
    ...clients,
    '',
    'try:',
    '  TOKEN=$(npm run -s token -- shop-web)',
    `  curl -i -H "Authorization: Bearer $TOKEN" ${gatewayUrl}/catalog/events`,
    `  curl -i -H "Authorization: Bearer $TOKEN" ${gatewayUrl}/basket`,
    `  curl -i -H "Authorization: Bearer $TOKEN" -X POST ${gatewayUrl}/catalog/events   # 403`,
    `  curl -i -H "Authorization: Bearer $TOKEN" ${insideUrl}/basket   # 401: not a basket token`,
    '  or, straight from the provider:',
    `  curl -s -u shop-web:${localClientSecrets['shop-web']} -d grant_type=client_credentials \\`,
    `    --data-urlencode 'scope=catalog.read basket.read' ${identity}/token`,
  ].join('\n');
}
