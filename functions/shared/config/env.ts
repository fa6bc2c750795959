import type * as z from './schema-library.js';

/**
 * Typed readers for environment variables. Functions read their
 * configuration once, at module scope, so that a bad deployment fails at
 * initialisation with the variable's name instead of mid-request.
 */

/** A missing or malformed environment variable. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
  readonly code = 'environment_invalid';

  constructor(
    readonly variable: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`environment variable ${variable} ${reason}`, options);
  }
}

/** The trimmed value of `name`; throws when it is unset or blank. */
export function readRequiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name]?.trim();
  if (!value) throw new EnvironmentError(name, 'is not set');
  return value;
}

/** A positive integer from `name`, or `fallback` when it is unset. */
export function readIntegerEnv(
  name: string,
  fallback: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text)) throw new EnvironmentError(name, 'must be a whole number');
  return Number(text);
}

/** JSON configuration from `name`, checked against `schema`. */
export function readJsonEnv<T extends z.ZodMiniType>(
  name: string,
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const text = readRequiredEnv(name, env);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EnvironmentError(name, 'is not valid JSON', { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new EnvironmentError(
      name,
      `is invalid at ${first?.path.join('.') || '(root)'}: ${first?.message}`,
    );
  }
  return parsed.data;
}

/**
 * Whether the function runs in the local stack. Only the local stack sets
 * `NARROWGATE_MODE=local`; it relaxes exactly one rule, https for issuers.
 */
export function isLocalMode(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NARROWGATE_MODE?.trim() === 'local';
}
