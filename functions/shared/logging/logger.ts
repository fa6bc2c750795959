import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { redactText, redactValue } from './redact.js';

/**
 * Powertools' fixed JSON keys with redaction built in: every record passes
 * through {@link redactValue} on its way out, whatever the call site wrote.
 * Log error codes and claim names; this is the net, not the rule.
 */
class RedactingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: redactText(attributes.message),
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: context?.coldStart,
        function_name: context?.functionName,
        function_request_id: context?.awsRequestId,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(redactValue(additional) as LogAttributes);
  }
}

/**
 * A structured JSON logger for one function. Level comes from
 * `POWERTOOLS_LOG_LEVEL` (or Lambda's log-level control); events are never
 * logged by default.
 *
 * @example
 * const logger = createLogger('authorizer');
 * logger.warn('token refused', { code: 'token_expired', claim: 'exp' });
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, logFormatter: new RedactingLogFormatter() });
}

export type { Logger };
