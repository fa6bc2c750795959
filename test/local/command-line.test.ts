import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * Every CLI in `local/` answers a bad flag or argument with one line on
 * stderr and exit 2, before it starts or reaches anything: run as `npm run`
 * runs them (through tsx), with no stack running.
 */
interface Run {
  readonly code: number | null;
  readonly stderr: string;
  readonly stdout: string;
}

function run(script: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  // The user's NARROWGATE_* settings must not change what is being tested.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('NARROWGATE_')),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `local/${script}.ts`, ...args],
      // NODE_NO_WARNINGS: the AWS SDK's Node-version notice is not the CLI's output.
      { env: { ...inherited, NODE_NO_WARNINGS: '1', ...env }, timeout: 15_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (error.code as number | null) : 0, stdout, stderr });
      },
    );
  });
}

/** What the CLI itself wrote: oidc-provider's warnings on import left out. */
function ownLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('oidc-provider WARNING'));
}

// Each case spawns tsx and loads the CLI's imports: seconds apiece on a busy machine.
describe('command-line mistakes', { timeout: 40_000 }, () => {
  it.concurrent.each([
    ['start', ['--gateway-prot', '8080'], /^unknown option '--gateway-prot'; usage: npm start/],
    ['start', ['--gateway-port', 'x'], /^--gateway-port must be a whole number from 0 to 65535;/],
    ['demo', ['--gateway-port', '8080'], /^unknown option '--gateway-port'; usage: npm run demo/],
    ['demo', ['--gateway', 'localhost:3000'], /^--gateway must be an http\(s\) URL; usage:/],
    ['token', ['nobody'], /^unknown client; usage: npm run token/],
    ['token', ['--client', 'shop-web'], /^unknown option '--client'; usage: npm run token/],
    ['invoke', ['lambda', 'events/keys/jwks.json'], /^unknown function lambda; usage:/],
    ['invoke', ['--verbose'], /^unknown option '--verbose'; usage: npm run invoke/],
    ['smoke', ['--api', 'x', '--token-url', 'http://127.0.0.1:1'], /^--api must be an http/],
    ['smoke', ['--region', 'eu-west-1'], /^unknown option '--region'; usage: npm run smoke/],
    ['smoke', ['--api', 'http://127.0.0.1:1'], /^usage: npm run smoke -- --api <url>/],
  ])('%s %j: one line and exit 2', async (script, args, message) => {
    const result = await run(script, args);

    expect(result.code).toBe(2);
    expect(ownLines(result.stderr)).toEqual([expect.stringMatching(message)]);
    expect(result.stdout).toBe('');
  });

  it('names the variable when a NARROWGATE_*_PORT is not a port', async () => {
    const result = await run('start', [], { NARROWGATE_INSIDE_PORT: '70000' });

    expect(result.code).toBe(2);
    expect(ownLines(result.stderr)).toEqual([
      expect.stringMatching(/^NARROWGATE_INSIDE_PORT must be a whole number from 0 to 65535;/),
    ]);
  });

  it('says an event file was not found and how events/ is laid out', async () => {
    const result = await run('invoke', ['catalog', 'events/nope.json']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('events are laid out as events/<function>/<event>.json');
    expect(result.stderr).toMatch(/events\/catalog\/ holds [^\n]*list-events\.json/);
    expect(ownLines(result.stderr)).toEqual([
      expect.stringMatching(/^events\/nope\.json: file not found; /),
    ]);
  });

  it('never repeats a stray argument, which may be a secret', async () => {
    const result = await run('smoke', ['--api', 'http://127.0.0.1:1', 'id:s3cret']);

    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('s3cret');
  });
});
