import type { ServerResponse } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';

/** An integration answer that is not a valid Lambda proxy result; API Gateway answers 502. */
export class ProxyResultError extends Error {
  override readonly name = 'ProxyResultError';
  readonly code = 'proxy_result_invalid';
}

/**
 * Writes a Lambda proxy result: `headers` and `multiValueHeaders` merged
 * (multi-value entries win for a name in both), the body decoded from base64
 * when `isBase64Encoded`. Throws {@link ProxyResultError} before writing
 * anything when the result is malformed.
 */
export function writeProxyResult(
  response: ServerResponse,
  result: unknown,
  requestId: string,
): void {
  const checked = checkProxyResult(result);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(checked.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(checked.multiValueHeaders ?? {})) {
    headers[name] = values.map(String);
  }
  headers['x-amzn-RequestId'] = requestId;

  const body = checked.body ?? '';
  response.writeHead(checked.statusCode, headers);
  response.end(checked.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

function checkProxyResult(result: unknown): APIGatewayProxyResult {
  if (typeof result !== 'object' || result === null) {
    throw new ProxyResultError('integration returned no object');
  }
  const candidate = result as Partial<APIGatewayProxyResult>;
  const status = candidate.statusCode;
  if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599) {
    throw new ProxyResultError('statusCode must be an HTTP status');
  }
  if (candidate.body !== undefined && typeof candidate.body !== 'string') {
    throw new ProxyResultError('body must be a string');
  }
  return candidate as APIGatewayProxyResult;
}
