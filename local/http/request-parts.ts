import type { IncomingMessage } from 'node:http';

/**
 * The parts of an incoming HTTP request that API Gateway hands to Lambda,
 * read once so the gateway and the inside-network server shape events the
 * same way.
 */
export interface RequestParts {
  readonly method: string;
  /** The path exactly as received, before any decoding. */
  readonly rawPath: string;
  /** Header names as the client spelled them, each with every value. */
  readonly multiValueHeaders: Readonly<Record<string, string[]>>;
  readonly multiValueQuery: Readonly<Record<string, string[]>>;
  /** The body as UTF-8 text, or null when there is none. */
  readonly body: string | null;
  readonly sourceIp: string;
}

/** Largest request body accepted, in bytes: API Gateway's own limit is 10 MB. */
const maxBodyBytes = 1024 * 1024;

/** Reads a request into {@link RequestParts}; rejects a body over 1 MiB. */
export async function readRequestParts(request: IncomingMessage): Promise<RequestParts> {
  const target = request.url ?? '/';
  const queryAt = target.indexOf('?');
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : target.slice(queryAt + 1);

  // Headers: rawHeaders keeps the client's spelling, as API Gateway does.
  const multiValueHeaders: Record<string, string[]> = {};
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index] as string;
    const value = request.rawHeaders[index + 1] as string;
    const existing = Object.keys(multiValueHeaders).find(
      (known) => known.toLowerCase() === name.toLowerCase(),
    );
    append(multiValueHeaders, existing ?? name, value);
  }

  // Query: URLSearchParams decodes `+` and percent-escapes like API Gateway.
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    append(multiValueQuery, name, value);
  }

  return {
    method: request.method ?? 'GET',
    rawPath,
    multiValueHeaders,
    multiValueQuery,
    body: await readBody(request),
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
  };
}

/** The last value of a header, compared case-insensitively, as API Gateway's `headers`. */
export function headerValue(
  headers: Readonly<Record<string, string[]>>,
  name: string,
): string | undefined {
  const key = Object.keys(headers).find((known) => known.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key]?.at(-1);
}

/** Collapses multi-value maps the way API Gateway fills `headers` and `queryStringParameters`. */
export function lastValues(
  multi: Readonly<Record<string, string[]>>,
): Record<string, string> | null {
  const entries = Object.entries(multi).flatMap(([name, values]) => {
    const last = values.at(-1);
    return last === undefined ? [] : [[name, last] as const];
  });
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

function append(map: Record<string, string[]>, name: string, value: string): void {
  const values = map[name];
  if (values) values.push(value);
  else map[name] = [value];
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return size === 0 ? null : Buffer.concat(chunks).toString('utf8');
}

/** A request body over the local limit; the servers answer 413. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly code = 'body_too_large';

  constructor() {
    super(`request body exceeds ${maxBodyBytes} bytes`);
  }
}
