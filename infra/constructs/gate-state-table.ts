/**
 * The shared state table (docs/operators/shared-state.md): one on-demand DynamoDB table whose items are the
 * gate's cross-container state (readings, failures and backoff, refresh leases, holds,
 * overrides, Retry-After blocks, budget counters). Everything in it is a cache the gate rebuilds
 * from the vendors, so it is destroyed with the stack and has no backups. Functions get its name
 * and the item-level actions the store sends, on this table only.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { stateTableDefinition } from '../../shared/state/dynamodb-items';

/** The environment variable the runtime reads the table name from. */
export const stateTableEnvironmentVariable = 'GATE_STATE_TABLE';

/**
 * What shared/state/dynamodb-store.ts sends: single-item reads and conditional writes. No Query,
 * Scan, batch or transaction, so none is granted.
 */
export const stateTableActions = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;

export class GateStateTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: stateTableDefinition.partitionKey, type: AttributeType.STRING },
      timeToLiveAttribute: stateTableDefinition.timeToLiveAttribute,
      // Traffic follows callers and scheduled checks: bursty, often idle; no capacity to plan.
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'The table is a rebuildable cache (vendor readings, leases, blocks, budget counters, holds and overrides that expire within minutes); ' +
        'a restore would bring back stale state, so point-in-time recovery is off.',
    });
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /** The store's item-level actions on this table's ARN, nothing else. */
  grantStateAccess(grantee: IGrantable): void {
    this.table.grant(grantee, ...stateTableActions);
  }
}
