import { InvalidTokenError } from '../errors.js';

/**
 * Largest token accepted, in characters. Real access tokens run from 700 to
 * 2,500; API Gateway caps all headers at 10 KiB. Refusing larger ones before
 * any parsing bounds the work an attacker can ask for.
 */
export const maxTokenLength = 8192;

// RFC 6750 §2.1: "Bearer" (any letter case), one space, one b64token, nothing after.
const bearerCredential = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

export type HeaderMap = Readonly<Record<string, string | undefined>> | null | undefined;
export type MultiValueHeaderMap =
  | Readonly<Record<string, readonly string[] | undefined>>
  | null
  | undefined;

/**
 * The bearer token of a request's Authorization header, whose name may be in
 * any letter case. Throws {@link InvalidTokenError} when there is no such
 * header, more than one, another scheme, more than one token, or a token over
 * {@link maxTokenLength}.
 */
export function readBearerToken(
  headers: HeaderMap,
  multiValueHeaders?: MultiValueHeaderMap,
): string {
  const values = authorizationValues(headers, multiValueHeaders);
  if (values.length === 0) throw new InvalidTokenError('token_missing', 'no Authorization header');
  if (values.length > 1) {
    throw new InvalidTokenError('token_malformed', 'more than one Authorization header');
  }

  const value = values[0] ?? '';
  // Length first: the pattern below never runs on an oversized header.
  if (value.length > maxTokenLength + 'Bearer '.length) {
    throw new InvalidTokenError(
      'token_too_large',
      `token longer than ${maxTokenLength} characters`,
    );
  }
  const token = bearerCredential.exec(value)?.[1];
  if (!token) {
    throw new InvalidTokenError('token_malformed', 'Authorization is not one Bearer token');
  }
  return token;
}

function authorizationValues(headers: HeaderMap, multiValueHeaders: MultiValueHeaderMap): string[] {
  // API Gateway fills both maps; the multi-value one shows repeated headers
  // that the single-value map would silently collapse to the last one.
  const fromMulti = Object.entries(multiValueHeaders ?? {})
    .filter(([name]) => name.toLowerCase() === 'authorization')
    .flatMap(([, list]) => list ?? []);
  if (fromMulti.length > 0) return fromMulti;
  return Object.entries(headers ?? {})
    .filter(([name, value]) => name.toLowerCase() === 'authorization' && value !== undefined)
    .map(([, value]) => value as string);
}
