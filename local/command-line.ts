import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * Argument handling shared by the CLIs in `local/`: a bad flag or argument
 * is the user's mistake, not the program's, so it gets one line on stderr
 * (what was wrong, then the usage) and exit code 2, never a stack trace.
 */

/** Prints `reason; usage` (or the usage alone) on stderr and exits 2. */
export function exitWithUsage(usage: string, reason?: string): never {
  console.error(reason === undefined ? usage : `${reason}; ${usage}`);
  process.exit(2);
}

/** `parseArgs` over the command's arguments; a parse error exits through {@link exitWithUsage}. */
export function parseCommandLine<T extends Omit<ParseArgsConfig, 'args'>>(
  usage: string,
  config: T,
  args: string[] = process.argv.slice(2),
): ReturnType<typeof parseArgs<T & { args: string[] }>> {
  try {
    return parseArgs({ ...config, args });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw error;
    exitWithUsage(usage, parseErrorReason(error as Error & { code: string }));
  }
}

/**
 * Node's first sentence says what was wrong ("Unknown option '--x'"); the
 * rest is advice about `--` that reads as noise after `npm run x --`. A
 * stray argument is not repeated: with `npm run smoke` it may be a secret.
 */
function parseErrorReason(error: Error & { code: string }): string {
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return 'unexpected argument';
  const first = error.message.split(/\.\s/)[0] ?? error.message;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/**
 * An http(s) URL without a trailing slash, or exits with the flag named.
 * The value is not repeated: a URL may carry credentials.
 */
export function urlArgument(usage: string, flag: string, text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    exitWithUsage(usage, `${flag} must be an http(s) URL`);
  }
  return text.replace(/\/+$/, '');
}
