import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface SigningKeyProps {
  /** The function that runs the four rotation steps for this secret. */
  readonly rotationFunction: lambda.IFunction;
  /** The rotation function's role; granted the rotation actions on this secret only. */
  readonly rotationRole: iam.IRole;
  /** Days between rotations. */
  readonly rotationDays: number;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The exchange's ES256 signing key in Secrets Manager. The template holds no
 * key: Secrets Manager stores a random placeholder at creation and at once
 * calls the rotation function, which makes the first key. The placeholder
 * is not a JWK, so it stays under AWSPREVIOUS until the second rotation.
 *
 * The rotation schedule is written by hand rather than with the L2
 * `addRotationSchedule`, which also grants `GetRandomPassword` on `*`,
 * `UpdateSecret`, and an invoke permission for Secrets Manager from any
 * account.
 */
export class SigningKey extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: SigningKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'narrowgate exchange ES256 signing key (private JWK), made by rotation',
      removalPolicy: props.removalPolicy,
    });

    // Rotation role: the four rotation steps on this one secret.
    props.rotationRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [this.secret.secretArn],
      }),
    );

    // Invocation: Secrets Manager, on behalf of this account only.
    const permission = new lambda.CfnPermission(this, 'RotationInvoke', {
      action: 'lambda:InvokeFunction',
      functionName: props.rotationFunction.functionArn,
      principal: 'secretsmanager.amazonaws.com',
      sourceAccount: stack.account,
    });

    // Schedule: rotate when created, then every `rotationDays`.
    const schedule = new secretsmanager.CfnRotationSchedule(this, 'Rotation', {
      secretId: this.secret.secretArn,
      rotationLambdaArn: props.rotationFunction.functionArn,
      rotateImmediatelyOnUpdate: true,
      rotationRules: {
        scheduleExpression: Schedule.rate(Duration.days(props.rotationDays)).expressionString,
      },
    });
    // Secrets Manager checks its invoke permission and the role's grants
    // when the schedule is made, so both must exist first.
    schedule.node.addDependency(permission);
    const policy = props.rotationRole.node.tryFindChild('DefaultPolicy');
    if (policy) schedule.node.addDependency(policy);
  }

  /**
   * Lets `grantee` read any version of the key by its staging label
   * (AWSCURRENT, AWSPENDING, AWSPREVIOUS), and nothing more.
   */
  grantRead(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secret.secretArn],
      }),
    );
  }
}
