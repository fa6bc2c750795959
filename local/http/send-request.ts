import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** One HTTP answer, body as text. Header names are lower-case. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface SendOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * Sends `path` exactly as written, dot segments and percent-escapes included.
 * `fetch` normalises `/a/../b` to `/b` before sending, which would hide the
 * very paths the gateway must refuse.
 *
 * @param base The server's origin plus any base path, e.g. a stage URL.
 */
export function sendRequest(base: string, path: string, options: SendOptions = {}) {
  const url = new URL(base);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const basePath = url.pathname.replace(/\/$/, '');
  return new Promise<HttpAnswer>((resolve, reject) => {
    const outgoing = send(
      {
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: `${basePath}${path}`,
        headers: options.headers,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
