import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shopExchange } from '../../functions/shared/definition/shop-definition.js';
import {
  cacheLifetimeMarginSeconds,
  checkCacheTtl,
  readStackConfig,
  StackConfigError,
} from '../../infra/stack-config.js';
import { synthStack } from './synth-stack.js';

const fromContext = (values: Record<string, unknown>) => (key: string) => values[key];

function configError(values: Record<string, unknown>): StackConfigError {
  try {
    readStackConfig(fromContext(values));
  } catch (error) {
    if (error instanceof StackConfigError) return error;
    throw error;
  }
  throw new Error('expected a StackConfigError');
}

describe('readStackConfig', () => {
  it('uses the documented defaults when no flag is set', () => {
    // Given no context / When read / Then
    expect(readStackConfig(fromContext({}))).toEqual({
      authorizerCacheTtlSeconds: 60,
      keyRotationDays: 30,
      logRetentionDays: 30,
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      destroyOnDelete: false,
    });
  });

  it('reads command-line strings and cdk.json values alike', () => {
    const fromCli = readStackConfig(
      fromContext({
        authorizerCacheTtlSeconds: '0',
        destroyOnDelete: 'true',
        keyRotationDays: '7',
      }),
    );
    const fromJson = readStackConfig(
      fromContext({ authorizerCacheTtlSeconds: 0, destroyOnDelete: true, keyRotationDays: 7 }),
    );

    expect(fromCli).toEqual(fromJson);
    expect(fromCli).toMatchObject({
      authorizerCacheTtlSeconds: 0,
      destroyOnDelete: true,
      keyRotationDays: 7,
    });
  });

  it.each([
    [
      'a cache TTL that is not a number',
      { authorizerCacheTtlSeconds: 'soon' },
      'authorizerCacheTtlSeconds',
    ],
    ['a negative cache TTL', { authorizerCacheTtlSeconds: -1 }, 'authorizerCacheTtlSeconds'],
    ['a rotation of 0 days', { keyRotationDays: 0 }, 'keyRotationDays'],
    ['a destroy flag that is not a boolean', { destroyOnDelete: 'yes' }, 'destroyOnDelete'],
    ['an upper-case domain prefix', { cognitoDomainPrefix: 'Narrow' }, 'cognitoDomainPrefix'],
    ['issuer flags without issuerUrl', { issuerAudience: 'x' }, 'issuerAudience'],
    ['token types without issuerUrl', { issuerTokenTypes: 'JWT' }, 'issuerTokenTypes'],
    ['untyped tokens without issuerUrl', { issuerAcceptUntyped: true }, 'issuerAcceptUntyped'],
    ['an issuer without its JWKS URL', { issuerUrl: 'https://id.example' }, 'issuerJwksUri'],
    [
      'the cognito dialect for an external issuer',
      {
        issuerUrl: 'https://id.example',
        issuerJwksUri: 'https://id.example/k',
        issuerDialect: 'cognito',
      },
      'issuerDialect',
    ],
    [
      'a symmetric algorithm',
      {
        issuerUrl: 'https://id.example',
        issuerJwksUri: 'https://id.example/k',
        issuerAlgorithms: 'HS256',
      },
      'issuerAlgorithms',
    ],
  ])('fails because of %s', (_name, values, flag) => {
    const error = configError(values);

    expect(error.code).toBe('stack_config_invalid');
    expect(error.flag).toBe(flag);
  });

  it('reads an external issuer with defaults for what is not given', () => {
    const config = readStackConfig(
      fromContext({
        issuerUrl: 'https://id.example/',
        issuerJwksUri: 'https://id.example/.well-known/jwks.json',
        issuerDialect: 'okta',
        issuerAlgorithms: 'RS256,ES256',
      }),
    );

    expect(config.externalIssuer).toEqual({
      issuer: 'https://id.example/',
      jwksUri: 'https://id.example/.well-known/jwks.json',
      audience: 'urn:narrowgate:gateway',
      dialect: 'okta',
      algorithms: ['RS256', 'ES256'],
      tokenTypes: ['at+jwt'],
      acceptUntypedTokens: false,
    });
  });
});

describe('the authorizer cache TTL', () => {
  const lifetime = shopExchange.tokenLifetimeSeconds;
  const ceiling = lifetime - cacheLifetimeMarginSeconds;

  it('may reach the narrow-token lifetime minus the margin', () => {
    expect(() => checkCacheTtl(ceiling, lifetime)).not.toThrow();
    expect(() => checkCacheTtl(0, lifetime)).not.toThrow();
  });

  it('fails because a cached narrow token would expire before the cache does', () => {
    expect(() => checkCacheTtl(ceiling + 1, lifetime)).toThrow(
      `must be at most ${ceiling} s: narrow tokens live ${lifetime} s`,
    );
  });

  it('names the narrow-token limit, not API Gateway’s, for a TTL above both', () => {
    const error = configError({ authorizerCacheTtlSeconds: '9999' });

    expect(error.message).toBe(
      'context flag authorizerCacheTtlSeconds is 9999 s but must be at most 240 s: ' +
        'narrow tokens live 300 s and a cached one needs 60 s left',
    );
  });

  it('keeps API Gateway’s 3600 s when narrow tokens live longer than that', () => {
    const longLifetime = 7200;

    expect(() => checkCacheTtl(3600, longLifetime)).not.toThrow();
    expect(() => checkCacheTtl(3601, longLifetime)).toThrow(
      "is 3601 s but must be at most 3600 s, API Gateway's limit for an authorizer cache",
    );
  });

  it('fails because of a negative TTL without naming an upper bound', () => {
    expect(configError({ authorizerCacheTtlSeconds: '-5' }).message).toBe(
      'context flag authorizerCacheTtlSeconds must be a whole number 0 or more',
    );
  });

  it('makes the CDK app print one line and exit 1, with no stack trace', async () => {
    // Prepare: context as the CDK CLI hands it to the app.
    const env = {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify({ authorizerCacheTtlSeconds: '9999' }),
      NODE_NO_WARNINGS: '1',
    };

    // Act
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'infra/app.ts'],
        { env, timeout: 30_000 },
        (error, _stdout, stderr) => {
          resolve({ code: error ? (error.code as number | null) : 0, stderr });
        },
      );
    });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^narrowgate: context flag authorizerCacheTtlSeconds is 9999 s .* 240 s/,
      ),
    ]);
  });

  it('stops the synth with the flag named', () => {
    expect(() => synthStack({ context: { authorizerCacheTtlSeconds: lifetime } })).toThrow(
      /context flag authorizerCacheTtlSeconds is 300 s but must be at most 240 s/,
    );
  });
});
