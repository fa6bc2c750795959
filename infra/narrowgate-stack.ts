import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { jwksUriOf } from '../functions/exchange/key-routes.js';
import { CognitoIdentity, toConstructId } from './cognito-identity.js';
import { GatewayApi } from './gateway-api.js';
import { buildExternalIssuer, type ValidatedIssuer } from './issuers.js';
import { NarrowgateFunction, toRetention } from './narrowgate-function.js';
import { ServiceTable } from './service-table.js';
import { SigningKey } from './signing-key.js';
import type { StackConfig } from './stack-config.js';

export interface NarrowgateStackProps extends StackProps {
  readonly config: StackConfig;
}

/**
 * The whole pattern in one stack: identity provider, REST API with the
 * REQUEST authorizer, token exchange with its rotated key, and one table
 * per service. Everything the functions need arrives through environment
 * variables built here from the shared definition.
 */
export class NarrowgateStack extends Stack {
  readonly identity?: CognitoIdentity;
  readonly gateway: GatewayApi;

  constructor(scope: Construct, id: string, props: NarrowgateStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.destroyOnDelete ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const logRemovalPolicy = removalPolicy;
    const addFunction = (functionId: string, settings: FunctionSettings) =>
      new NarrowgateFunction(this, functionId, {
        ...settings,
        logRetentionDays: config.logRetentionDays,
        logRemovalPolicy,
      });

    // Issuer: the stack's user pool, unless an external one is configured.
    let issuer: ValidatedIssuer;
    if (config.externalIssuer) {
      issuer = buildExternalIssuer(config.externalIssuer);
    } else {
      this.identity = new CognitoIdentity(this, 'Identity', {
        domainPrefix: config.cognitoDomainPrefix ?? `narrowgate-${this.account}`,
        removalPolicy,
      });
      issuer = this.identity.issuer;
    }
    const issuersJson = this.toJsonString([issuer.config]);
    const { definition } = issuer;

    // Gateway first: functions name its URL, its methods name them.
    this.gateway = new GatewayApi(this, 'Gateway', {
      throttleRateLimit: config.throttleRateLimit,
      throttleBurstLimit: config.throttleBurstLimit,
      logRetention: toRetention(config.logRetentionDays),
      logRemovalPolicy,
    });
    const narrowIssuer = this.gateway.baseUrl;

    // Rotation: makes and promotes signing keys.
    const rotation = addFunction('Rotation', {
      entry: 'functions/exchange/rotate.ts',
      serviceName: 'narrowgate-rotation',
      description: 'Rotates the exchange signing key (Secrets Manager rotation steps)',
      environment: {},
      timeout: Duration.seconds(30),
    });
    const signingKey = new SigningKey(this, 'SigningKey', {
      rotationFunction: rotation.function,
      rotationRole: rotation.role,
      rotationDays: config.keyRotationDays,
      removalPolicy,
    });
    const keyEnvironment = {
      SIGNING_KEY_SECRET_ARN: signingKey.secret.secretArn,
      NARROW_TOKEN_ISSUER: narrowIssuer,
    };

    // Exchange: the only reader of the signing key besides the key routes.
    const exchange = addFunction('Exchange', {
      entry: 'functions/exchange/handler.ts',
      serviceName: 'narrowgate-exchange',
      description: 'RFC 8693 token exchange, invoked by the authorizer only',
      environment: { NARROWGATE_ISSUERS: issuersJson, ...keyEnvironment },
    });
    signingKey.grantRead(exchange.role);
    const keys = addFunction('Keys', {
      entry: 'functions/exchange/keys-handler.ts',
      serviceName: 'narrowgate-keys',
      description: 'Publishes the JWKS and authorization server metadata',
      environment: keyEnvironment,
    });
    signingKey.grantRead(keys.role);

    // Authorizer: may invoke the exchange and nothing else.
    const authorizer = addFunction('Authorizer', {
      entry: 'functions/authorizer/handler.ts',
      serviceName: 'narrowgate-authorizer',
      description: 'REST API REQUEST authorizer: verifies, then exchanges, the client token',
      environment: {
        NARROWGATE_ISSUERS: issuersJson,
        EXCHANGE_FUNCTION_NAME: exchange.function.functionArn,
      },
    });
    authorizer.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [exchange.function.functionArn],
      }),
    );

    // Services: each with its own table.
    const services = new Map<string, lambda.IFunction>();
    for (const service of definition.services) {
      const sid = toConstructId(service.name);
      const table = new ServiceTable(this, `${sid}Table`, { removalPolicy });
      const handler = addFunction(sid, {
        entry: `functions/${service.name}/handler.ts`,
        serviceName: `narrowgate-${service.name}`,
        description: `The ${service.name} service; verifies its narrow token again`,
        environment: {
          TABLE_NAME: table.table.tableName,
          NARROWGATE_ISSUERS: issuersJson,
          NARROW_TOKEN_ISSUER: narrowIssuer,
          NARROW_TOKEN_JWKS_URI: jwksUriOf(narrowIssuer),
        },
      });
      table.grantItemAccess(handler.role);
      services.set(service.name, handler.function);
    }

    // Routes: the definition's, behind the authorizer.
    this.gateway.addRoutes({
      routes: definition.routes,
      services,
      authorizer: authorizer.function,
      keys: keys.function,
      cacheTtlSeconds: config.authorizerCacheTtlSeconds,
    });

    this.addOutputs(this.gateway.baseUrl, signingKey.secret.secretArn);
  }

  private addOutputs(baseUrl: string, secretArn: string): void {
    new CfnOutput(this, 'ApiUrl', { value: `${baseUrl}/`, description: 'The gateway' });
    new CfnOutput(this, 'NarrowTokenIssuer', {
      value: baseUrl,
      description: 'iss of narrow tokens',
    });
    new CfnOutput(this, 'SigningKeySecretArn', {
      value: secretArn,
      description: 'The signing-key secret (its ARN only, never its value)',
    });
    new CfnOutput(this, 'JwksUrl', {
      value: jwksUriOf(baseUrl),
      description: 'Keys that verify narrow tokens',
    });
    if (!this.identity) return;
    new CfnOutput(this, 'TokenUrl', {
      value: this.identity.tokenUrl,
      description: 'Cognito token endpoint (client credentials)',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    for (const [name, client] of this.identity.clients) {
      new CfnOutput(this, `${toConstructId(name)}ClientId`, {
        value: client.userPoolClientId,
        description: `App client ${name}; read its secret with the AWS CLI`,
      });
    }
  }
}

type FunctionSettings = Omit<
  ConstructorParameters<typeof NarrowgateFunction>[2],
  'logRetentionDays' | 'logRemovalPolicy'
>;
