import { SimpleJwksCache } from 'aws-jwt-verify/jwk';

/** The JWKS could not be fetched: a dependency failure, never a token failure. */
export class JwksFetchError extends Error {
  override readonly name = 'JwksFetchError';
}

export interface JwksCacheOptions {
  /**
   * Allow plain http JWKS URIs. Only the local stack sets this; aws-jwt-verify's
   * own fetcher speaks https only, and so does this one unless told otherwise.
   * @default false
   */
  readonly allowHttp?: boolean;
  /** Abort a JWKS request after this many milliseconds. @default 3000 */
  readonly timeoutMs?: number;
  /** Refuse a JWKS document larger than this many bytes. @default 65536 */
  readonly maxBytes?: number;
}

/**
 * aws-jwt-verify's JWKS cache (with its penalty box against unknown-`kid`
 * floods) over a fetcher with a timeout and a size cap, so that a slow or
 * hostile key endpoint fails fast and closed.
 */
export function createJwksCache(options: JwksCacheOptions = {}): SimpleJwksCache {
  const timeoutMs = options.timeoutMs ?? 3000;
  const maxBytes = options.maxBytes ?? 65536;
  return new SimpleJwksCache({
    fetcher: {
      async fetch(uri: string): Promise<ArrayBuffer> {
        const { protocol } = new URL(uri);
        if (protocol !== 'https:' && !(options.allowHttp && protocol === 'http:')) {
          throw new JwksFetchError(`JWKS URI must use https, not ${protocol}`);
        }
        let response: Response;
        try {
          response = await fetch(uri, {
            signal: AbortSignal.timeout(timeoutMs),
            redirect: 'error',
            headers: { accept: 'application/json' },
          });
        } catch (error) {
          throw new JwksFetchError('JWKS request failed', { cause: error });
        }
        if (!response.ok) throw new JwksFetchError(`JWKS answered HTTP ${response.status}`);
        if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
          throw new JwksFetchError('JWKS document too large');
        }
        const body = await response.arrayBuffer();
        if (body.byteLength > maxBytes) throw new JwksFetchError('JWKS document too large');
        return body;
      },
    },
  });
}
