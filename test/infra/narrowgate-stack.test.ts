import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { shopRoutes } from '../../functions/shared/definition/shop-definition.js';
import { wellKnownPaths } from '../../infra/gateway-api.js';
import { logicalIdStartingWith, resourcesOfType, synthStack } from './synth-stack.js';

let template: Template;

beforeAll(() => {
  template = synthStack().template;
});

/** `/catalog/events/{eventId}` → the logical id of its AWS::ApiGateway::Resource. */
function resourceIdOf(path: string): string {
  const resources = resourcesOfType(template, 'AWS::ApiGateway::Resource');
  let parent: unknown = { 'Fn::GetAtt': [apiId(), 'RootResourceId'] };
  let id = '';
  for (const part of path.slice(1).split('/')) {
    const found = Object.entries(resources).find(
      ([, r]) =>
        r.Properties.PathPart === part &&
        JSON.stringify(r.Properties.ParentId) === JSON.stringify(parent),
    );
    if (!found) throw new Error(`no resource for ${part} of ${path}`);
    id = found[0];
    parent = { Ref: id };
  }
  return id;
}

function apiId(): string {
  return logicalIdStartingWith(resourcesOfType(template, 'AWS::ApiGateway::RestApi'), 'Gateway');
}

function authorizerId(): string {
  return logicalIdStartingWith(
    resourcesOfType(template, 'AWS::ApiGateway::Authorizer'),
    'GatewayAuthorizer',
  );
}

describe('the REQUEST authorizer', () => {
  it('caches per token, method and route for 60 s by default', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization,context.httpMethod,context.resourcePath',
      AuthorizerResultTtlInSeconds: 60,
    });
  });

  it('takes the cache TTL from context', () => {
    const { template: other } = synthStack({ context: { authorizerCacheTtlSeconds: '0' } });

    other.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      AuthorizerResultTtlInSeconds: 0,
    });
  });

  it('may be invoked by this authorizer of this API only', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthorizerFunction'), 'Arn'] },
      SourceArn: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith(['/authorizers/', { Ref: authorizerId() }])],
      }),
    });
  });
});

describe('the routes', () => {
  it.each(shopRoutes.map((r) => [r.method, r.path, r.service] as const))(
    '%s %s goes through the authorizer to %s',
    (method, path, service) => {
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: method,
        ResourceId: { Ref: resourceIdOf(path) },
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: authorizerId() },
        RequestParameters: Match.objectLike({ 'method.request.header.Authorization': true }),
        Integration: Match.objectLike({
          Type: 'AWS_PROXY',
          Uri: Match.objectLike({
            'Fn::Join': [
              '',
              Match.arrayWith([
                {
                  'Fn::GetAtt': [
                    Match.stringLikeRegexp(
                      `^${service[0]?.toUpperCase()}${service.slice(1)}Function`,
                    ),
                    'Arn',
                  ],
                },
              ]),
            ],
          }),
        }),
      });
    },
  );

  it('has exactly the definition routes and the key routes', () => {
    const methods = resourcesOfType(template, 'AWS::ApiGateway::Method');

    expect(Object.keys(methods)).toHaveLength(shopRoutes.length + wellKnownPaths.length);
  });

  it.each(wellKnownPaths)('serves %s without an authorizer', (path) => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      ResourceId: { Ref: resourceIdOf(path) },
      AuthorizationType: 'NONE',
      Integration: Match.objectLike({
        Uri: Match.objectLike({
          'Fn::Join': [
            '',
            Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^KeysFunction'), 'Arn'] }]),
          ],
        }),
      }),
    });
  });

  it('requires path parameters', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'PUT',
      ResourceId: { Ref: resourceIdOf('/basket/lines/{eventId}') },
      RequestParameters: {
        'method.request.header.Authorization': true,
        'method.request.path.eventId': true,
      },
    });
  });
});

describe('the gateway responses', () => {
  it.each([
    ['UNAUTHORIZED', '401', 'invalid_token'],
    ['ACCESS_DENIED', '403', 'insufficient_scope'],
  ])('%s answers %s with the %s challenge and a JSON body', (type, status, error) => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: type,
      StatusCode: status,
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.WWW-Authenticate': `'Bearer error="${error}"'`,
      }),
      ResponseTemplates: {
        'application/json': `{"message":$context.error.messageString,"error":"${error}"}`,
      },
    });
  });

  it.each(['AUTHORIZER_FAILURE', 'AUTHORIZER_CONFIGURATION_ERROR'])(
    '%s answers a JSON 500 that says nothing more',
    (type) => {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        StatusCode: '500',
        ResponseTemplates: {
          'application/json': JSON.stringify({
            message: 'Internal server error',
            error: 'server_error',
          }),
        },
      });
    },
  );
});

describe('the stage', () => {
  it('logs access as JSON without headers, throttles, and never traces data', () => {
    const stage = Object.values(resourcesOfType(template, 'AWS::ApiGateway::Stage'))[0];
    const settings = stage?.Properties as {
      StageName: string;
      AccessLogSetting: { Format: string; DestinationArn: unknown };
      MethodSettings: Record<string, unknown>[];
    };

    expect(settings.StageName).toBe('v1');
    const format = JSON.parse(settings.AccessLogSetting.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(settings.AccessLogSetting.Format).not.toMatch(/header|authorizer\.(?!status|latency)/i);
    expect(settings.MethodSettings).toContainEqual(
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        ThrottlingRateLimit: 50,
        ThrottlingBurstLimit: 100,
      }),
    );
  });

  it('keeps access logs for the configured retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 30,
    });
  });
});

type Statement = { Action: string | string[]; Effect: string; Resource: unknown };

/** The statements of the inline policy attached to `<prefix>Role`. */
function statementsOf(prefix: string): Statement[] {
  const policies = resourcesOfType(template, 'AWS::IAM::Policy');
  const roleId = logicalIdStartingWith(
    resourcesOfType(template, 'AWS::IAM::Role'),
    `${prefix}Role`,
  );
  const attached = Object.values(policies).filter((p) =>
    JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`),
  );
  return attached.flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

const getAtt = (prefix: string, attribute = 'Arn') => ({
  'Fn::GetAtt': [Match.stringLikeRegexp(`^${prefix}`), attribute],
});
const logWrite = (prefix: string) => ({
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Effect: 'Allow',
  Resource: getAtt(`${prefix}Logs`),
});

describe('the roles', () => {
  it.each<[string, object[]]>([
    [
      'Authorizer',
      [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: getAtt('ExchangeFunction') }],
    ],
    [
      'Exchange',
      [
        {
          Action: 'secretsmanager:GetSecretValue',
          Effect: 'Allow',
          Resource: { Ref: Match.stringLikeRegexp('^SigningKeySecret') },
        },
      ],
    ],
    [
      'Keys',
      [
        {
          Action: 'secretsmanager:GetSecretValue',
          Effect: 'Allow',
          Resource: { Ref: Match.stringLikeRegexp('^SigningKeySecret') },
        },
      ],
    ],
    [
      'Rotation',
      [
        {
          Action: [
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
            'secretsmanager:PutSecretValue',
            'secretsmanager:UpdateSecretVersionStage',
          ],
          Effect: 'Allow',
          Resource: { Ref: Match.stringLikeRegexp('^SigningKeySecret') },
        },
      ],
    ],
    ...['Catalog', 'Basket'].map((service): [string, object[]] => [
      service,
      [
        {
          Action: [
            'dynamodb:GetItem',
            'dynamodb:Query',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:BatchWriteItem',
          ],
          Effect: 'Allow',
          Resource: getAtt(`${service}Table`),
        },
      ],
    ]),
  ])('%s may write its own logs and do only what it needs', (prefix, grants) => {
    const statements = statementsOf(prefix);

    expect(statements).toHaveLength(1 + grants.length);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp(`^${prefix}Role`) }],
      PolicyDocument: { Statement: [logWrite(prefix), ...grants] },
    });
  });

  it('attach no managed policy to a function role', () => {
    const roles = resourcesOfType(template, 'AWS::IAM::Role');
    const functionRoles = Object.entries(roles).filter(([id]) => !id.includes('CloudWatchRole'));

    expect(functionRoles).toHaveLength(6);
    for (const [, role] of functionRoles) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('name no wildcard resource anywhere', () => {
    const policies = resourcesOfType(template, 'AWS::IAM::Policy');
    const resources = Object.values(policies).flatMap((p) =>
      (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.map((s) => s.Resource),
    );

    for (const resource of resources) expect(JSON.stringify(resource)).not.toContain('*');
  });

  it('let Secrets Manager invoke the rotation function for this account only', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'secretsmanager.amazonaws.com',
      FunctionName: getAtt('RotationFunction'),
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  it('let API Gateway invoke each service only for its own methods', () => {
    const permissions = Object.values(resourcesOfType(template, 'AWS::Lambda::Permission'));
    const fromApi = permissions.filter(
      (p) => p.Properties.Principal === 'apigateway.amazonaws.com',
    );

    // One per method, plus the authorizer's.
    expect(fromApi).toHaveLength(shopRoutes.length + wellKnownPaths.length + 1);
    for (const permission of fromApi) expect(permission.Properties.SourceArn).toBeDefined();
  });
});

describe('the signing key', () => {
  it('holds no key material in the template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {},
      SecretString: Match.absent(),
    });
  });

  it('rotates when created and every 30 days by default', () => {
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: Match.stringLikeRegexp('^SigningKeySecret') },
      RotationLambdaARN: getAtt('RotationFunction'),
      RotateImmediatelyOnUpdate: true,
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });

  it('waits for its invoke permission before the first rotation', () => {
    const schedules = template.findResources('AWS::SecretsManager::RotationSchedule');
    const dependsOn = Object.values(schedules)[0]?.DependsOn as string[];

    expect(dependsOn.some((id) => id.startsWith('SigningKeyRotationInvoke'))).toBe(true);
    expect(dependsOn.some((id) => id.startsWith('RotationRoleDefaultPolicy'))).toBe(true);
  });

  it('is retained with the stack by default', () => {
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });
});

describe('the tables', () => {
  it('are on-demand, recoverable, encrypted, keyed pk/sk and retained', () => {
    const tables = template.findResources('AWS::DynamoDB::Table');

    expect(Object.keys(tables)).toHaveLength(2);
    for (const table of Object.values(tables)) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
      });
    }
  });

  it('are deleted with the stack when destroyOnDelete is set', () => {
    const { template: other } = synthStack({ context: { destroyOnDelete: 'true' } });

    for (const type of ['AWS::DynamoDB::Table', 'AWS::Cognito::UserPool', 'AWS::Logs::LogGroup']) {
      for (const resource of Object.values(other.findResources(type))) {
        expect(resource.DeletionPolicy, type).toBe('Delete');
      }
    }
  });
});

describe('the functions', () => {
  type LambdaProperties = {
    Runtime: string;
    Architectures: string[];
    Environment: { Variables: Record<string, unknown> };
    LoggingConfig: { LogGroup: unknown };
  };
  function propertiesOf(prefix: string): LambdaProperties {
    const functions = resourcesOfType(template, 'AWS::Lambda::Function');
    const id = logicalIdStartingWith(functions, `${prefix}Function`);
    return functions[id]?.Properties as LambdaProperties;
  }
  const narrowIssuer = (path = '') => ({
    'Fn::Join': [
      '',
      [
        'https://',
        { Ref: Match.stringLikeRegexp('^GatewayApi') },
        '.execute-api.',
        { Ref: 'AWS::Region' },
        '.',
        { Ref: 'AWS::URLSuffix' },
        `/v1${path}`,
      ],
    ],
  });

  it.each([
    ['Authorizer', ['NARROWGATE_ISSUERS', 'EXCHANGE_FUNCTION_NAME']],
    ['Exchange', ['NARROWGATE_ISSUERS', 'SIGNING_KEY_SECRET_ARN', 'NARROW_TOKEN_ISSUER']],
    ['Keys', ['SIGNING_KEY_SECRET_ARN', 'NARROW_TOKEN_ISSUER']],
    ['Rotation', []],
    [
      'Catalog',
      ['TABLE_NAME', 'NARROWGATE_ISSUERS', 'NARROW_TOKEN_ISSUER', 'NARROW_TOKEN_JWKS_URI'],
    ],
    [
      'Basket',
      ['TABLE_NAME', 'NARROWGATE_ISSUERS', 'NARROW_TOKEN_ISSUER', 'NARROW_TOKEN_JWKS_URI'],
    ],
  ])('%s runs nodejs22.x on arm64 with exactly its configuration', (prefix, variables) => {
    const properties = propertiesOf(prefix);

    expect(properties.Runtime).toBe('nodejs22.x');
    expect(properties.Architectures).toEqual(['arm64']);
    expect(Object.keys(properties.Environment.Variables).sort()).toEqual(
      ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL', 'NODE_OPTIONS', ...variables].sort(),
    );
    expect(properties.Environment.Variables.POWERTOOLS_LOG_LEVEL).toBe('INFO');
    expect(properties.LoggingConfig.LogGroup).toEqual({
      Ref: expect.stringMatching(new RegExp(`^${prefix}Logs`)),
    });
  });

  it('name the exchange by ARN for the authorizer', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ EXCHANGE_FUNCTION_NAME: getAtt('ExchangeFunction') }),
      },
    });
  });

  it('build the narrow-token issuer from the API id and stage, and the JWKS URL from it', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          NARROW_TOKEN_ISSUER: narrowIssuer(),
          NARROW_TOKEN_JWKS_URI: narrowIssuer('/.well-known/jwks.json'),
          TABLE_NAME: { Ref: Match.stringLikeRegexp('^CatalogTable') },
        }),
      },
    });
  });

  it('each log to their own group with a retention', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));

    // Six functions and the access logs.
    expect(groups).toHaveLength(7);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
  });
});
