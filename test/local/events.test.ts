import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillPlaceholders } from '../../local/event-placeholders.js';
import { type LocalFunctions, type LocalStack, startLocalStack } from '../../local/stack.js';

/** Every event in `events/` still gives the outcome its name promises. */
let stack: LocalStack;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  stack = await startLocalStack({ ports: { gateway: 0, inside: 0, identity: 0, dynamo: 0 } });
});

afterAll(async () => {
  await stack?.close();
});

const folders = ['authorizer', 'exchange', 'basket', 'catalog', 'keys'] as const;
const events = (
  await Promise.all(
    folders.map(async (folder) =>
      (await readdir(join('events', folder))).map((file) => [folder, file] as const),
    ),
  )
).flat();

/** What the handler gave, in the words of the file names. */
async function outcomeOf(name: keyof LocalFunctions, event: unknown): Promise<string> {
  const handler = stack.functions[name] as (event: unknown) => Promise<unknown>;
  let result: Record<string, unknown>;
  try {
    result = (await handler(event)) as Record<string, unknown>;
  } catch (error) {
    return (error as Error).message === 'Unauthorized' ? 'unauthorized' : 'failed';
  }
  if ('policyDocument' in result) {
    return JSON.stringify(result.policyDocument).includes('"Deny"') ? 'deny' : 'allow';
  }
  if (typeof result.error === 'string') return result.error.replace('_', '-');
  if ('access_token' in result) return 'granted';
  return Number(result.statusCode) < 400 ? 'ok' : 'refuse';
}

describe('events/', () => {
  it.each(events)('%s/%s', async (folder, file) => {
    // Prepare
    const text = await fillPlaceholders(
      await readFile(join('events', folder, file), 'utf8'),
      stack,
    );
    const prefix = /^(allow|deny|unauthorized|refuse|invalid-[a-z]+)-/.exec(file)?.[1];

    // Act
    const outcome = await outcomeOf(folder, JSON.parse(text));

    // Assess
    expect(outcome).toBe(prefix ?? (folder === 'exchange' ? 'granted' : 'ok'));
  });
});
