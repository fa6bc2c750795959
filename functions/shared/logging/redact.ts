/**
 * Redaction that the logger applies to every record it writes, so that no
 * call site can forget it. Two rules, both allow-nothing:
 * - any attribute whose key names a credential is replaced whole;
 * - any string that holds a JWT or a bearer credential is masked in place.
 */

export const redactedMarker = '[REDACTED]';

// Keys are compared after removing separators and letter case, so
// `Authorization`, `subject_token` and `clientSecret` all match.
const sensitiveKeyParts = [
  'authorization',
  'token',
  'secret',
  'password',
  'passwd',
  'cookie',
  'credential',
  'privatekey',
  'apikey',
  'signature',
];
// The private members of a JWK (RFC 7518 §6.2.2, §6.3.2), matched whole.
const privateJwkMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
const sensitiveKey = new RegExp(
  [...sensitiveKeyParts, ...privateJwkMembers.map((member) => `^${member}$`)].join('|'),
);

// Three base64url parts with a JSON-object header (`eyJ`), or two for an
// unsigned token; and anything after a Bearer or Basic scheme.
const jwtLike = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*)?/g;
const schemeCredential = /\b(Bearer|Basic)\s+[^\s"',;]+/gi;

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function isSensitiveKey(key: string): boolean {
  return sensitiveKey.test(normaliseKey(key));
}

/** Masks JWTs and scheme credentials inside free text. */
export function redactText(text: string): string {
  return text.replace(schemeCredential, `$1 ${redactedMarker}`).replace(jwtLike, redactedMarker);
}

/** A deep copy of `value` with every credential removed. Cycles are cut. */
export function redactValue(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));

  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSensitiveKey(key) ? redactedMarker : redactValue(item, seen);
  }
  return copy;
}
