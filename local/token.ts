import { exitWithUsage, parseCommandLine } from './command-line.js';
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
const usage = `usage: npm run token -- <client>   (one of: ${localClientIds.join(', ')})`;
const { positionals } = parseCommandLine(usage, { options: {}, allowPositionals: true });
const [client, ...extra] = positionals;
if (!client || extra.length > 0) exitWithUsage(usage);
if (!isShopClient(client)) exitWithUsage(usage, 'unknown client');

const { identityUrl } = await readStackUrls();
try {
  console.log(await fetchLocalToken(identityUrl, client));
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`no token from ${identityUrl} (${reason}); is npm start running?`);
  process.exit(1);
}
