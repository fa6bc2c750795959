import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { shopGatewayAudience } from '../../functions/shared/definition/shop-definition.js';
import { createTestSigner, jwksOf, nowSeconds, type TestSigner } from '../support/test-issuer.js';
import { bearerEvent, expectFailure } from './harness.js';

/**
 * The Lambda entry point, wired from the environment as on AWS: issuers
 * from NARROWGATE_ISSUERS (a JWKS served on 127.0.0.1 in local mode) and
 * the exchange through a LambdaClient whose `send` is stubbed.
 */

let signer: TestSigner;

beforeAll(async () => {
  signer = await createTestSigner('ES256', 'local-key');
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.resetModules();
});

async function serveJwks(): Promise<{ server: Server; origin: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(jwksOf(signer)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}`, hits };
}

function stubEnvironment(origin: string): void {
  vi.stubEnv('NARROWGATE_MODE', 'local');
  vi.stubEnv('EXCHANGE_FUNCTION_NAME', 'narrowgate-exchange');
  vi.stubEnv(
    'NARROWGATE_ISSUERS',
    JSON.stringify([
      {
        name: 'local',
        dialect: 'oidc',
        issuer: origin,
        jwksUri: `${origin}/jwks`,
        algorithms: ['ES256'],
        tokenTypes: ['at+jwt'],
        audience: shopGatewayAudience,
      },
    ]),
  );
}

function tokenFor(origin: string): Promise<string> {
  return signer.sign(
    {
      iss: origin,
      aud: shopGatewayAudience,
      sub: 'user-123',
      client_id: 'shop-web',
      scope: 'catalog.read',
      iat: nowSeconds(),
      exp: nowSeconds() + 600,
    },
    { typ: 'at+jwt' },
  );
}

describe('the handler', () => {
  it('prefetches the keys at init and allows through the Lambda exchange', async () => {
    // Prepare
    const { server, origin, hits } = await serveJwks();
    stubEnvironment(origin);
    const send = vi.spyOn(LambdaClient.prototype, 'send').mockImplementation(async () => ({
      StatusCode: 200,
      Payload: new TextEncoder().encode(
        JSON.stringify({
          access_token: 'narrow.token.value',
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 300,
          scope: 'catalog:read',
        }),
      ),
    }));
    try {
      const { handler } = await import('../../functions/authorizer/handler.js');
      expect(hits).toEqual(['/jwks']);

      // Act
      const result = await handler(bearerEvent(await tokenFor(origin)));

      // Assess
      expect(result.context).toMatchObject({ downstreamToken: 'narrow.token.value' });
      expect(send).toHaveBeenCalledTimes(1);
      expect(hits).toEqual(['/jwks']);
    } finally {
      server.close();
    }
  });

  it('starts when the keys cannot be fetched, then fails every request closed', async () => {
    // Prepare: a port that was just closed.
    const { server, origin } = await serveJwks();
    await new Promise((resolve) => server.close(resolve));
    stubEnvironment(origin);
    const send = vi.spyOn(LambdaClient.prototype, 'send');

    // Act
    const { handler } = await import('../../functions/authorizer/handler.js');

    // Assess
    await expectFailure(handler(bearerEvent(await tokenFor(origin))), 'jwks_unreachable');
    expect(send).not.toHaveBeenCalled();
  });

  it('refuses to start without the exchange function name', async () => {
    const { server, origin } = await serveJwks();
    stubEnvironment(origin);
    vi.stubEnv('EXCHANGE_FUNCTION_NAME', '');
    try {
      await expect(import('../../functions/authorizer/handler.js')).rejects.toMatchObject({
        code: 'environment_invalid',
        variable: 'EXCHANGE_FUNCTION_NAME',
      });
    } finally {
      server.close();
    }
  });
});
