import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface ServiceTableProps {
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The item actions a service may run on its own table. No Scan, no table
 * management and no streams: the services read by key and by partition.
 */
export const serviceTableActions = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/**
 * One service's table, owned by that service alone: on-demand, with
 * point-in-time recovery and encryption under the AWS managed key, so every
 * use of the key shows in CloudTrail. Keys are `pk` and `sk`, both strings.
 */
export class ServiceTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ServiceTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: props.removalPolicy,
    });
  }

  /** Lets `grantee` run {@link serviceTableActions} on this table and nothing else. */
  grantItemAccess(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...serviceTableActions],
        resources: [this.table.tableArn],
      }),
    );
  }
}
