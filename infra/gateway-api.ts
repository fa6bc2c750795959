import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { jwksPath, metadataPath } from '../functions/exchange/key-routes.js';
import type { RouteConfig } from '../functions/shared/definition/schema.js';
import { parsePathTemplate } from '../functions/shared/routes/path-template.js';

/** The stage every URL and the narrow-token issuer name. */
export const stageName = 'v1';

/** The public key routes, served by the keys function without an authorizer. */
export const wellKnownPaths = [jwksPath, metadataPath] as const;

export interface GatewayApiProps {
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

export interface GatewayRoutesProps {
  /** The definition's routes; each becomes one method. */
  readonly routes: readonly RouteConfig[];
  /** The function serving each service named by a route. */
  readonly services: ReadonlyMap<string, lambda.IFunction>;
  readonly authorizer: lambda.IFunction;
  readonly keys: lambda.IFunction;
  /** Seconds a decision is cached; 0 turns the cache off. */
  readonly cacheTtlSeconds: number;
}

/**
 * The REST API: one method per definition route behind the REQUEST
 * authorizer, the key routes in the open, and gateway responses that speak
 * RFC 6750 (`WWW-Authenticate`) with JSON bodies.
 */
export class GatewayApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly accessLogs: logs.LogGroup;
  /**
   * `https://{id}.execute-api.{region}.{suffix}/{stage}`, built from the API
   * id and the stage name: `api.url` would make every function depend on
   * the deployment, which depends on the methods, which depend on them.
   */
  readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: GatewayApiProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // Stage: access logs, error-level execution logs, throttling.
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: `${stack.stackName}-gateway`,
      description: 'narrowgate: every hop checks a token made for it',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // API Gateway needs an account-wide role to write any log; the stack
      // makes it so that `cdk deploy` alone gives working access logs.
      cloudWatchRole: true,
      deployOptions: {
        stageName,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: accessLogFormat(),
        // ERROR only and never data traces: INFO records request headers,
        // and those carry bearer tokens.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        throttlingRateLimit: props.throttleRateLimit,
        throttlingBurstLimit: props.throttleBurstLimit,
      },
    });
    this.baseUrl =
      `https://${this.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}` +
      `/${stageName}`;
    addGatewayResponses(this.api);
    this.acknowledgeFindings();
  }

  /** Adds the definition's routes and the key routes; call once. */
  addRoutes(props: GatewayRoutesProps): apigateway.RequestAuthorizer {
    // Authorizer: cached per token *and* route, never per token alone.
    const authorizer = new apigateway.RequestAuthorizer(this, 'Authorizer', {
      handler: props.authorizer,
      identitySources: [
        apigateway.IdentitySource.header('Authorization'),
        apigateway.IdentitySource.context('httpMethod'),
        apigateway.IdentitySource.context('resourcePath'),
      ],
      resultsCacheTtl: Duration.seconds(props.cacheTtlSeconds),
    });
    // Validation: required parameters below; bodies are checked only where
    // a method names a model, and the services validate their own input.
    const validator = this.api.addRequestValidator('Validator', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });

    // Routes: one method each, straight from the definition.
    for (const route of props.routes) {
      const handler = props.services.get(route.service);
      if (!handler) throw new Error(`route ${route.method} ${route.path} has no service function`);
      const resource = this.resourceFor(route.path);
      resource.addMethod(route.method, new apigateway.LambdaIntegration(handler, proxyOptions), {
        authorizationType: apigateway.AuthorizationType.CUSTOM,
        authorizer,
        requestValidator: validator,
        requestParameters: requiredParameters(route.path),
      });
    }

    // Key routes: public by design; services and clients fetch keys here.
    for (const path of wellKnownPaths) {
      const method = this.resourceFor(path).addMethod(
        'GET',
        new apigateway.LambdaIntegration(props.keys, proxyOptions),
        { authorizationType: apigateway.AuthorizationType.NONE },
      );
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'Public keys and metadata: verifiers fetch them before they hold any token.',
      });
    }
    return authorizer;
  }

  private acknowledgeFindings(): void {
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'A Lambda REQUEST authorizer replaces a user pool authorizer on purpose: it checks ' +
        'per-route scopes for any configured issuer and exchanges the token per service.',
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'A web ACL costs a monthly fee at rest; the stage throttles and every route is ' +
        'authorized. Associate a WAFv2 web ACL with the stage for production traffic.',
    });
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "API Gateway's account-wide logging role; AWS keeps this managed policy in step " +
          'with what API Gateway needs to create and write its log groups.',
      });
    }
  }

  /** Walks the compiled template, creating resources as needed. */
  private resourceFor(path: string): apigateway.IResource {
    let resource: apigateway.IResource = this.api.root;
    for (const segment of parsePathTemplate(path).segments) {
      const part =
        segment.kind === 'literal'
          ? segment.value
          : segment.kind === 'param'
            ? `{${segment.name}}`
            : `{${segment.name}+}`;
      resource = resource.getResource(part) ?? resource.addResource(part);
    }
    return resource;
  }
}

// Test invocations from the console would add a second, wider permission
// per method; the per-method permission scoped to the stage is enough.
const proxyOptions: apigateway.LambdaIntegrationOptions = { proxy: true, allowTestInvoke: false };

/** The Authorization header and every path parameter must be present. */
function requiredParameters(path: string): Record<string, boolean> {
  const parameters: Record<string, boolean> = { 'method.request.header.Authorization': true };
  for (const segment of parsePathTemplate(path).segments) {
    if (segment.kind !== 'literal') parameters[`method.request.path.${segment.name}`] = true;
  }
  return parameters;
}

/**
 * Request facts only: no headers, no query string, no authorizer context,
 * since each of those can hold a token.
 */
function accessLogFormat(): apigateway.AccessLogFormat {
  return apigateway.AccessLogFormat.custom(
    JSON.stringify({
      requestId: '$context.requestId',
      time: '$context.requestTimeEpoch',
      sourceIp: '$context.identity.sourceIp',
      method: '$context.httpMethod',
      resourcePath: '$context.resourcePath',
      status: '$context.status',
      responseType: '$context.error.responseType',
      latencyMs: '$context.responseLatency',
      authorizerStatus: '$context.authorizer.status',
      authorizerLatencyMs: '$context.authorizer.latency',
      integrationStatus: '$context.integration.status',
      integrationLatencyMs: '$context.integration.latency',
    }),
  );
}

/**
 * 401 and 403 carry the RFC 6750 challenge so that clients can tell a bad
 * token from a missing scope. Bodies keep API Gateway's `message` (the
 * local gateway answers the same shape) and add the OAuth `error` code;
 * authorizer faults answer a plain 500: the gateway fails closed and says
 * no more.
 */
function addGatewayResponses(api: apigateway.RestApi): void {
  const noStore = { 'Cache-Control': "'no-store'" };
  const challenges = [
    ['Unauthorized', apigateway.ResponseType.UNAUTHORIZED, '401', 'invalid_token'],
    ['AccessDenied', apigateway.ResponseType.ACCESS_DENIED, '403', 'insufficient_scope'],
  ] as const;
  for (const [id, type, statusCode, error] of challenges) {
    api.addGatewayResponse(id, {
      type,
      statusCode,
      responseHeaders: { ...noStore, 'WWW-Authenticate': `'Bearer error="${error}"'` },
      templates: {
        'application/json': `{"message":$context.error.messageString,"error":"${error}"}`,
      },
    });
  }

  const faults = [
    ['AuthorizerFailure', apigateway.ResponseType.AUTHORIZER_FAILURE],
    ['AuthorizerConfigurationError', apigateway.ResponseType.AUTHORIZER_CONFIGURATION_ERROR],
  ] as const;
  for (const [id, type] of faults) {
    api.addGatewayResponse(id, {
      type,
      statusCode: '500',
      responseHeaders: noStore,
      templates: {
        'application/json': JSON.stringify({
          message: 'Internal server error',
          error: 'server_error',
        }),
      },
    });
  }
}
