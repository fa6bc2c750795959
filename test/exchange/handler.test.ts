import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpsIssuer } from '../support/definitions.js';

describe('exchange Lambda handler', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('reads its environment once and answers bad input with an error object', async () => {
    // Prepare
    vi.stubEnv('NARROWGATE_ISSUERS', JSON.stringify([httpsIssuer]));
    vi.stubEnv('SIGNING_KEY_SECRET_ARN', 'arn:aws:secretsmanager:eu-west-1:1:secret:k');
    vi.stubEnv('NARROW_TOKEN_ISSUER', 'https://exchange.example.com');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    const { handler } = await import('../../functions/exchange/handler.js');

    // Act and assess
    await expect(handler({ grant_type: 'password' })).resolves.toEqual({
      error: 'invalid_request',
      error_description: 'grant_type must be token exchange',
    });
    await expect(handler(null)).resolves.toMatchObject({ error: 'invalid_request' });
  });

  it('fails at start-up when a variable is missing', async () => {
    vi.stubEnv('NARROWGATE_ISSUERS', JSON.stringify([httpsIssuer]));
    vi.stubEnv('SIGNING_KEY_SECRET_ARN', '');
    await expect(import('../../functions/exchange/handler.js')).rejects.toMatchObject({
      code: 'environment_invalid',
      variable: 'SIGNING_KEY_SECRET_ARN',
    });
  });
});
