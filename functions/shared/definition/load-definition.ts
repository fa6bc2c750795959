import {
  type CrossCheckOptions,
  crossCheckDefinition,
  type DefinitionIssue,
} from './cross-checks.js';
import { type Definition, definitionSchema } from './schema.js';

/**
 * A definition that breaks one or more rules. A configuration error, not a
 * token error: a function that meets one at start-up must not serve.
 */
export class DefinitionError extends Error {
  override readonly name = 'DefinitionError';
  readonly code = 'definition_invalid';

  constructor(readonly issues: readonly DefinitionIssue[]) {
    super(
      `invalid narrowgate definition:\n${issues.map((i) => `  ${i.path}: ${i.reason}`).join('\n')}`,
    );
  }
}

export type LoadOptions = Partial<CrossCheckOptions>;

/**
 * Validates a definition and fills in its defaults, or throws a
 * {@link DefinitionError} that names every failing field and why.
 *
 * @example
 * const definition = loadDefinition({ ...shopDefinition, issuers });
 */
export function loadDefinition(input: unknown, options: LoadOptions = {}): Definition {
  const parsed = definitionSchema.safeParse(input);
  if (!parsed.success) {
    throw new DefinitionError(
      parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(root)',
        reason: issue.message,
      })),
    );
  }
  const issues = crossCheckDefinition(parsed.data, { allowHttp: options.allowHttp ?? false });
  if (issues.length > 0) throw new DefinitionError(issues);
  return parsed.data;
}
