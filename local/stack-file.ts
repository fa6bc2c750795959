import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { defaultPorts } from './stack.js';

/**
 * Where a running `npm start` writes its URLs, so that `npm run demo`,
 * `npm run token` and `npm run invoke` find it on any ports. URLs only:
 * nothing secret is ever written here.
 */
export const stackFile = resolve('.local', 'stack.json');

export interface StackUrls {
  readonly gatewayUrl: string;
  readonly insideUrl: string;
  readonly identityUrl: string;
}

export async function writeStackFile(urls: StackUrls): Promise<void> {
  await mkdir(dirname(stackFile), { recursive: true });
  await writeFile(stackFile, `${JSON.stringify(urls, null, 2)}\n`);
}

export async function removeStackFile(): Promise<void> {
  await rm(stackFile, { force: true });
}

/** The running stack's URLs, or the default ports' when no stack file exists. */
export async function readStackUrls(): Promise<StackUrls> {
  try {
    return JSON.parse(await readFile(stackFile, 'utf8')) as StackUrls;
  } catch {
    const at = (port: number) => `http://127.0.0.1:${port}`;
    return {
      gatewayUrl: at(defaultPorts.gateway),
      insideUrl: at(defaultPorts.inside),
      identityUrl: at(defaultPorts.identity),
    };
  }
}
