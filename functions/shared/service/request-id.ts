import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

// API Gateway's ids are UUIDs; anything else is cut to this shape so that a
// forged event cannot write arbitrary text into logs and bodies.
const requestIdPattern = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The request id to write into every error body and log line: API Gateway's
 * `requestContext.requestId`, or a fresh UUID when an event (a hand-written
 * test event, say) has none or an unusable one.
 */
export function readRequestId(event: APIGatewayProxyEvent): string {
  const id = event.requestContext?.requestId;
  return typeof id === 'string' && requestIdPattern.test(id) ? id : randomUUID();
}
