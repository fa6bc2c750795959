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

  it('stops the synth with the flag named', () => {
    expect(() => synthStack({ context: { authorizerCacheTtlSeconds: lifetime } })).toThrow(
      /context flag authorizerCacheTtlSeconds is 300 s but must be at most 240 s/,
    );
  });
});
