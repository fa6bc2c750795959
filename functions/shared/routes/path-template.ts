/**
 * Path templates as API Gateway REST APIs write them: `/basket/lines/{eventId}`,
 * with an optional greedy last segment `{proxy+}`.
 */

export type TemplateSegment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

export interface PathTemplate {
  /** The template as written, e.g. `/catalog/events/{eventId}`. */
  readonly text: string;
  readonly segments: readonly TemplateSegment[];
}

/** A template that cannot be parsed; `reason` says which rule it breaks. */
export class PathTemplateError extends Error {
  override readonly name = 'PathTemplateError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

// Unreserved characters (RFC 3986 §2.3): a literal segment never needs
// decoding, so the template and the raw request path compare byte for byte.
const literalSegment = /^[A-Za-z0-9._~-]+$/;
const paramSegment = /^\{([A-Za-z][A-Za-z0-9_]*)\}$/;
const greedySegment = /^\{([A-Za-z][A-Za-z0-9_]*)\+\}$/;

/** Parses a template, or throws {@link PathTemplateError} naming the rule. */
export function parsePathTemplate(text: string): PathTemplate {
  if (!text.startsWith('/')) throw new PathTemplateError('must start with "/"');
  if (text === '/') return { text, segments: [] };
  if (text.endsWith('/')) throw new PathTemplateError('must not end with "/"');

  const parts = text.slice(1).split('/');
  const segments = parts.map((part, index): TemplateSegment => {
    if (part === '') throw new PathTemplateError('must not hold an empty segment ("//")');
    if (part === '.' || part === '..') {
      throw new PathTemplateError('must not hold a dot segment');
    }
    const greedy = greedySegment.exec(part);
    if (greedy?.[1]) {
      if (index !== parts.length - 1) {
        throw new PathTemplateError('may hold a greedy {name+} segment only at the end');
      }
      return { kind: 'greedy', name: greedy[1] };
    }
    const param = paramSegment.exec(part);
    if (param?.[1]) return { kind: 'param', name: param[1] };
    if (!literalSegment.test(part)) {
      throw new PathTemplateError(
        `segment "${part}" must be {name}, {name+} or letters, digits and "._~-"`,
      );
    }
    return { kind: 'literal', value: part };
  });

  const names = segments.flatMap((s) => (s.kind === 'literal' ? [] : [s.name]));
  if (new Set(names).size !== names.length) {
    throw new PathTemplateError('must not repeat a parameter name');
  }
  return { text, segments };
}

/**
 * Whether some concrete path matches both templates. narrowgate refuses
 * overlapping routes of one method, so that at most one route ever matches a
 * request and no precedence rule can send a path to a more permissive route.
 */
export function templatesOverlap(a: PathTemplate, b: PathTemplate): boolean {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index++) {
    const left = a.segments[index];
    const right = b.segments[index];

    // A greedy segment takes one or more of whatever remains.
    if (left?.kind === 'greedy') return right !== undefined;
    if (right?.kind === 'greedy') return left !== undefined;
    if (left === undefined || right === undefined) return false;

    if (left.kind === 'literal' && right.kind === 'literal' && left.value !== right.value) {
      return false;
    }
  }
  return true;
}

/**
 * The template as an execute-api resource path for an IAM policy:
 * parameters become `*`. `/catalog/events/{eventId}` → `catalog/events/*`.
 */
export function toResourcePattern(template: PathTemplate): string {
  return template.segments.map((s) => (s.kind === 'literal' ? s.value : '*')).join('/');
}
