import { readFile } from 'node:fs/promises';
import { decodeJwt } from 'jose';
import { fillPlaceholders } from './event-placeholders.js';
import { type LocalFunctions, startLocalStack } from './stack.js';

/**
 * `npm run invoke -- <function> <event.json>`: runs one function's handler
 * on one event and prints what it returns. The functions are wired as the
 * local stack wires them (a provider, dynalite and the exchange started in
 * this process on free ports, stopped at the end); placeholders in the event
 * are filled with fresh tokens first (see `event-placeholders.ts`).
 *
 * Tokens in the result are never printed: each JWT is shown as its
 * audience, scope and expiry only.
 *
 *   npm run invoke -- authorizer events/authorizer/allow-catalog-read.json
 */
const names = ['authorizer', 'exchange', 'catalog', 'basket', 'keys'] as const;
type FunctionName = (typeof names)[number] & keyof LocalFunctions;

const [name, file] = process.argv.slice(2);
if (!name || !file || !names.includes(name as FunctionName)) {
  console.error(`usage: npm run invoke -- <${names.join('|')}> <event.json>`);
  process.exit(2);
}

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const stack = await startLocalStack({ ports: { gateway: 0, inside: 0, identity: 0, dynamo: 0 } });
try {
  const event: unknown = JSON.parse(await fillPlaceholders(await readFile(file, 'utf8'), stack));
  const handler = stack.functions[name as FunctionName] as (e: unknown) => Promise<unknown>;
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
} finally {
  await stack.close();
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
    return `<JWT not shown: aud=${JSON.stringify(claims.aud)} scope=${JSON.stringify(claims.scope)} exp=${claims.exp}>`;
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
