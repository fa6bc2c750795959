import { isShopClient, localClientIds } from './identity/local-clients.js';
import { fetchLocalToken } from './local-target.js';
import { readStackUrls } from './stack-file.js';

/**
 * `npm run token -- <client>`: prints a fresh access token from the running
 * local provider, for every scope the client is registered for. Printing
 * the token is the point of this command, and only of this one.
 *
 *   TOKEN=$(npm run -s token -- shop-web)
 */
const client = process.argv[2];
if (!client || !isShopClient(client)) {
  console.error(`usage: npm run token -- <client>   (one of: ${localClientIds.join(', ')})`);
  process.exit(2);
}

const { identityUrl } = await readStackUrls();
try {
  console.log(await fetchLocalToken(identityUrl, client));
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`no token from ${identityUrl} (${reason}); is npm start running?`);
  process.exit(1);
}
