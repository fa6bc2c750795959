import { readdir, readFile } from 'node:fs/promises';
import { decodeJwt } from 'jose';
import { exitWithUsage, parseCommandLine } from './command-line.js';
import { fillPlaceholders } from './event-placeholders.js';
import { type LocalFunctions, startLocalStack } from './stack.js';

/**
 * `npm run invoke -- <function> <event.json>`: runs one function's handler
 * on one event and prints what it returns. It needs no running stack: the
 * functions are wired as the local stack wires them (a provider, dynalite
 * and the exchange started in this process on free ports, stopped at the
 * end); placeholders in the event are filled with fresh tokens first (see
 * `event-placeholders.ts`).
 *
 * Tokens in the result are never printed: each JWT is shown as its
 * audience, scope and expiry only.
 *
 *   npm run invoke -- authorizer events/authorizer/allow-catalog-read.json
 */
const names = ['authorizer', 'exchange', 'catalog', 'basket', 'keys'] as const;
type FunctionName = (typeof names)[number] & keyof LocalFunctions;

const usage = `usage: npm run invoke -- <${names.join('|')}> <event.json>`;
const { positionals } = parseCommandLine(usage, { options: {}, allowPositionals: true });
const [name, file, ...extra] = positionals;
if (!name || !file || extra.length > 0) exitWithUsage(usage);
if (!names.includes(name as FunctionName)) exitWithUsage(usage, `unknown function ${name}`);

// Read and parsed before anything starts: a wrong path is the commonest mistake here.
// Parsed unfilled too, as a parse error quotes the text and the filled text holds tokens.
const text = await readEvent(file, name);
try {
  JSON.parse(text);
} catch (error) {
  exitWithUsage(usage, `${file}: ${(error as Error).message}`);
}

// WARN, not the ERROR of `npm start`, on purpose: one event, one handler, and
// the WARN lines are the refusal's reason (`token_expired`, `aud`), which is
// what invoking a refuse-* or unauthorized-* event is for.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const stack = await startLocalStack({ ports: { gateway: 0, inside: 0, identity: 0, dynamo: 0 } });
try {
  let event: unknown;
  try {
    event = JSON.parse(await fillPlaceholders(text, stack));
  } catch (error) {
    // An unknown placeholder is the event's fault: one line and exit 2. Its
    // messages name placeholders and error codes, never a filled-in token.
    console.error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
  if (event !== undefined) await invoke(name as FunctionName, event);
} finally {
  await stack.close();
}

/** The event file's text, or one line naming the problem and the events layout, and exit 2. */
async function readEvent(path: string, functionName: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const problem =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder' : String(code);
    const examples = await readdir(`events/${functionName}`).catch(() => []);
    const hint =
      `events are laid out as events/<function>/<event>.json (see events/README.md)` +
      (examples.length > 0 ? `; events/${functionName}/ holds ${examples.join(', ')}` : '');
    console.error(`${path}: ${problem}; ${hint}`);
    process.exit(2);
  }
}

async function invoke(name: FunctionName, event: unknown): Promise<void> {
  const handler = stack.functions[name] as (e: unknown) => Promise<unknown>;
  try {
    const result = await handler(event);
    console.log(JSON.stringify(withoutTokens(result), null, 2));
    if (name === 'authorizer') console.log(describePolicy(result));
  } catch (error) {
    // The authorizer's answers by throwing: `Unauthorized` is a 401, the rest a 500.
    const message = error instanceof Error ? error.message : String(error);
    const status = message === 'Unauthorized' ? '401' : '500';
    console.log(`threw Error(${JSON.stringify(message)}): API Gateway answers ${status}`);
  }
}

/** Replaces every JWT in a value by a short, token-free description. */
function withoutTokens(value: unknown): unknown {
  if (typeof value === 'string') {
    if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(value)) return describeJwt(value);
    if (value.startsWith('{')) {
      try {
        return withoutTokens(JSON.parse(value));
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(withoutTokens);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutTokens(v)]));
  }
  return value;
}

function describeJwt(token: string): string {
  try {
    const claims = decodeJwt(token);
    const { aud, scope, exp } = claims;
    return `<JWT not shown: aud=${JSON.stringify(aud)} scope=${JSON.stringify(scope)} exp=${exp}>`;
  } catch {
    return '<JWT not shown>';
  }
}

function describePolicy(result: unknown): string {
  const statements = (result as { policyDocument?: { Statement?: { Effect?: string }[] } })
    .policyDocument?.Statement;
  const effects = statements?.map((statement) => statement.Effect).join(', ');
  const verdict = effects?.includes('Deny') ? '403' : effects === 'Allow' ? 'the integration' : '?';
  return `policy: ${effects ?? 'none'} → API Gateway answers ${verdict}`;
}
