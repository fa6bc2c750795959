import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../functions/shared/logging/logger.js';

const jwt =
  'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ1c2VyLTEiLCJzY29wZSI6ImNhdGFsb2cucmVhZCJ9.c2lnbmF0dXJlLWJ5dGVz';
const secret = 'sk-live-0123456789';

describe('createLogger', () => {
  let lines: string[];

  beforeEach(() => {
    lines = [];
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    };
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation(capture);
    }
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        lines.push(String(chunk).trimEnd());
        return true;
      });
    }
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('writes JSON records with level, message, service and timestamp', () => {
    const logger = createLogger('authorizer');

    logger.info('token refused', { code: 'token_expired', claim: 'exp' });

    const record = JSON.parse(lines.join(''));
    expect(record).toMatchObject({
      level: 'INFO',
      message: 'token refused',
      service: 'authorizer',
      code: 'token_expired',
      claim: 'exp',
    });
    expect(typeof record.timestamp).toBe('string');
  });

  it('finds no token, Authorization header or secret in anything it writes', () => {
    const logger = createLogger('authorizer');

    logger.info(`received Bearer ${jwt}`);
    logger.warn('event', {
      headers: { Authorization: `Bearer ${jwt}`, authorization: `bearer ${jwt}` },
      multiValueHeaders: { AUTHORIZATION: [`Bearer ${jwt}`] },
      subject_token: jwt,
      requestContext: { authorizer: { downstreamToken: jwt } },
      clientSecret: secret,
      SecretString: JSON.stringify({ privateKey: secret }),
      key: { kty: 'EC', d: secret, x: 'public-x' },
      note: `token was ${jwt} and more`,
    });
    logger.error('exchange failed', new Error(`could not use ${jwt}`));
    logger.debug('raw', { list: [jwt, { nested: { access_token: jwt } }] });

    const output = lines.join('\n');
    expect(lines.length).toBe(4);
    expect(output).not.toContain(jwt.split('.')[0]);
    expect(output).not.toContain(jwt.split('.')[1]);
    expect(output).not.toContain(secret);
    expect(output).toContain('[REDACTED]');
    expect(output).toContain('public-x');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
