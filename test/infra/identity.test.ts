import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  shopClients,
  shopGatewayScopes,
} from '../../functions/shared/definition/shop-definition.js';
import { resourceServerIdentifier } from '../../infra/cognito-identity.js';
import { resourcesOfType, synthStack } from './synth-stack.js';

/**
 * Renders a CloudFormation value as text, with `<LogicalId>` for a Ref and
 * `<LogicalId.Attr>` for a GetAtt, so that JSON built from tokens can be read.
 */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Ref' in object) return `<${String(object.Ref)}>`;
  if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** `NARROWGATE_ISSUERS` as every function that reads it receives it. */
function issuersOf(template: Template): unknown[] {
  const functions = resourcesOfType(template, 'AWS::Lambda::Function');
  const values = Object.values(functions).flatMap((f) => {
    const variables = (f.Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;
    return variables.NARROWGATE_ISSUERS === undefined ? [] : [render(variables.NARROWGATE_ISSUERS)];
  });
  expect(values).toHaveLength(4);
  expect(new Set(values).size).toBe(1);
  return JSON.parse(values[0] as string) as unknown[];
}

describe('the default identity provider', () => {
  let template: Template;
  beforeAll(() => {
    template = synthStack().template;
  });

  it('is a user pool nobody can sign up to', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('carries the gateway scopes on one resource server', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: resourceServerIdentifier,
      Scopes: shopGatewayScopes.map((scope) => Match.objectLike({ ScopeName: scope })),
    });
  });

  it.each(Object.entries(shopClients))(
    'lets %s use client credentials for its own scopes only',
    (name, scopes) => {
      const clients = Object.values(resourcesOfType(template, 'AWS::Cognito::UserPoolClient'));
      const client = clients.find((c) => c.Properties.ClientName === name)!.Properties;

      expect(client).toMatchObject({
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true,
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      });
      // The resource server's identifier is a Ref to it; it resolves to `narrowgate`.
      expect((client.AllowedOAuthScopes as unknown[]).map(render)).toEqual(
        scopes.map((scope) =>
          expect.stringMatching(
            new RegExp(`^<IdentityUserPoolResourceServer[0-9A-F]+>/${scope.replace('.', '\\.')}$`),
          ),
        ),
      );
    },
  );

  it('serves the token endpoint from a Cognito domain', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: { 'Fn::Join': ['', ['narrowgate-', { Ref: 'AWS::AccountId' }]] },
    });
    template.hasOutput('TokenUrl', {
      Value: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith(['.amazoncognito.com/oauth2/token'])],
      }),
    });
  });

  it('is the one issuer the functions trust', () => {
    const [issuer, ...others] = issuersOf(template);
    const clientIds = Object.keys(resourcesOfType(template, 'AWS::Cognito::UserPoolClient'));
    const poolUrl = 'https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>/<IdentityUserPool';

    expect(others).toEqual([]);
    expect(issuer).toMatchObject({
      name: 'cognito',
      dialect: 'cognito',
      issuer: expect.stringContaining(poolUrl),
      jwksUri: expect.stringMatching(/\/\.well-known\/jwks\.json$/),
      algorithms: ['RS256'],
      tokenTypes: [],
      acceptUntypedTokens: true,
      resourceServer: resourceServerIdentifier,
      clientIds: clientIds.map((id) => `<${id}>`),
    });
  });

  it('outputs every client id and never a secret', () => {
    const outputs = template.findOutputs('*');

    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AnalyticsClientId',
        'ApiUrl',
        'CatalogAdminClientId',
        'GatewayApiEndpoint52CE7588',
        'JwksUrl',
        'NarrowTokenIssuer',
        'ShopWebClientId',
        'SigningKeySecretArn',
        'TokenUrl',
        'UserPoolId',
      ].sort(),
    );
    expect(JSON.stringify(outputs)).not.toMatch(/ClientSecret|SecretString/);
  });
});

describe('an external issuer', () => {
  let template: Template;
  beforeAll(() => {
    template = synthStack({
      context: {
        issuerUrl: 'https://login.example.com/',
        issuerJwksUri: 'https://login.example.com/.well-known/jwks.json',
        issuerAudience: 'api://narrowgate',
        issuerDialect: 'auth0',
      },
    }).template;
  });

  it('replaces the user pool', () => {
    for (const type of [
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolClient',
      'AWS::Cognito::UserPoolDomain',
    ]) {
      template.resourceCountIs(type, 0);
    }
    expect(Object.keys(template.findOutputs('*'))).not.toContain('TokenUrl');
  });

  it('is the one issuer the functions trust', () => {
    expect(issuersOf(template)).toEqual([
      {
        name: 'external',
        dialect: 'auth0',
        issuer: 'https://login.example.com/',
        jwksUri: 'https://login.example.com/.well-known/jwks.json',
        audience: 'api://narrowgate',
        algorithms: ['RS256'],
        tokenTypes: ['at+jwt'],
        acceptUntypedTokens: false,
        clockLeewaySeconds: 30,
      },
    ]);
  });

  it('fails the synth when the definition would refuse it', () => {
    expect(() =>
      synthStack({
        context: {
          issuerUrl: 'http://login.example.com/',
          issuerJwksUri: 'https://login.example.com/keys',
        },
      }),
    ).toThrow(/issuers\.0\.issuer: must use https outside local mode/);
  });
});
