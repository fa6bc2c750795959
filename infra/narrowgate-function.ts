import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root: entries, the lock file and esbuild live here. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface NarrowgateFunctionProps {
  /** Entry file relative to the repository root, e.g. `functions/authorizer/handler.ts`. */
  readonly entry: string;
  /** `POWERTOOLS_SERVICE_NAME`, e.g. `narrowgate-authorizer`. */
  readonly serviceName: string;
  readonly description: string;
  /** Configuration the handler reads at start-up. */
  readonly environment: Readonly<Record<string, string>>;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 256 MiB */
  readonly memorySize?: number;
  /** Days the function's logs are kept. */
  readonly logRetentionDays: number;
  /** What happens to the log group when the stack is deleted. */
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * One handler as a Lambda function with its own role and log group. The
 * role starts empty apart from writing to that log group (no managed
 * policy), so every other permission is a grant the stack writes on purpose.
 */
export class NarrowgateFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NarrowgateFunctionProps) {
    super(scope, id);

    // Logs: a group per function with a retention, written by this role only.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: toRetention(props.logRetentionDays),
      removalPolicy: props.logRemovalPolicy,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.serviceName}`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    // Bundle: local esbuild, ES module output; `require` shim for CJS dependencies.
    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(projectRoot, props.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // Stack traces point into the TypeScript sources, not the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        target: 'node22',
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner:
          "import { createRequire as narrowgateRequire } from 'node:module';" +
          'const require = narrowgateRequire(import.meta.url);',
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x, the LTS line the bundle targets and the tests run; ' +
        'move runtime and esbuild target together.',
    });
  }
}

/** CloudWatch accepts only some retention periods; the next one up is kept. */
export function toRetention(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays)
    .filter((value): value is number => typeof value === 'number' && value > 0)
    .sort((a, b) => a - b);
  return (allowed.find((value) => value >= days) ?? allowed.at(-1)) as logs.RetentionDays;
}
