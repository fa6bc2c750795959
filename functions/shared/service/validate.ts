import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from '../config/schema-library.js';
import { type FieldIssue, ValidationError } from './request-errors.js';

/**
 * Input checks for the services: every value a client sends passes a zod/mini
 * schema before any storage call, and a failure names each failing field.
 */

/** Largest request body accepted, in bytes; larger ones are refused unread. */
export const maxBodyBytes = 16 * 1024;

/** `value` checked against `schema`, or a {@link ValidationError} under `prefix`. */
export function validate<T extends z.ZodMiniType>(
  schema: T,
  value: unknown,
  prefix: string,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    parsed.error.issues.map(
      (issue): FieldIssue => ({
        path: [prefix, ...issue.path.map(String)].join('.'),
        message: issue.message,
      }),
    ),
  );
}

/**
 * The request body parsed as JSON and checked against `schema`. API Gateway
 * may hand the body over base64-encoded; both forms are accepted.
 */
export function readJsonBody<T extends z.ZodMiniType>(
  event: APIGatewayProxyEvent,
  schema: T,
): z.infer<T> {
  if (event.body === null || event.body === undefined || event.body === '') {
    throw new ValidationError([{ path: 'body', message: 'a JSON body is required' }]);
  }
  const text = event.isBase64Encoded
    ? Buffer.from(event.body, 'base64').toString('utf8')
    : event.body;
  if (Buffer.byteLength(text, 'utf8') > maxBodyBytes) {
    throw new ValidationError([{ path: 'body', message: `must be at most ${maxBodyBytes} bytes` }]);
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the body; the client needs only the field.
    throw new ValidationError([{ path: 'body', message: 'must be valid JSON' }]);
  }
  return validate(schema, value, 'body');
}

/**
 * The query string checked against `schema`. A parameter given more than
 * once is refused: which of its values wins differs between proxies.
 */
export function readQuery<T extends z.ZodMiniType>(
  event: APIGatewayProxyEvent,
  schema: T,
): z.infer<T> {
  const repeated = Object.entries(event.multiValueQueryStringParameters ?? {})
    .filter(([, values]) => (values?.length ?? 0) > 1)
    .map(([name]): FieldIssue => ({ path: `query.${name}`, message: 'must be given once' }));
  if (repeated.length > 0) throw new ValidationError(repeated);
  return validate(schema, event.queryStringParameters ?? {}, 'query');
}
