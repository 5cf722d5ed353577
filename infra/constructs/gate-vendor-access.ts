/**
 * AWS permissions for reading vendors that are AWS services (Amazon Connect): exactly what each
 * queue's vendor module asks for (`iamStatements`), on that queue's own resources, merged per
 * action. No wildcard: an Amazon Connect queue gets `connect:GetCurrentMetricData` on its instance
 * and queue ARNs and `connect:DescribeQueue` on its queue ARN, or, with `roleArn`, only
 * `sts:AssumeRole` on that role (the buyer's role holds the Connect rights in the buyer's account).
 * And the SDK packages the bundles need not carry: those of vendors the config does not use.
 */
import { Stack } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { GateConfig } from '../../shared/config/gate-config';
import { iamStatementsOf, vendorModuleList } from '../../shared/vendors/registry';

export interface GateVendorAccessProps {
  /** The validated config; only its queues' resources are granted. */
  readonly config: GateConfig;
}

export class GateVendorAccess extends Construct {
  /** Resources per action, each once, in the order the queues name them. */
  readonly resourcesByAction: ReadonlyMap<string, readonly string[]>;
  /**
   * SDK packages of vendors the config does not use (`sdkPackages`): the bundles leave them out, as
   * externals that are never loaded (only a check of that vendor would import them).
   */
  readonly leftOutPackages: readonly string[];

  constructor(scope: Construct, id: string, props: GateVendorAccessProps) {
    super(scope, id);
    const { account, partition } = Stack.of(this);
    const byAction = new Map<string, string[]>();
    for (const queue of props.config.queues.values()) {
      for (const statement of iamStatementsOf(queue, { account, partition })) {
        for (const action of statement.actions) {
          const resources = byAction.get(action) ?? [];
          byAction.set(action, [...new Set([...resources, ...statement.resources])]);
        }
      }
    }
    this.resourcesByAction = byAction;
    const used = new Set([...props.config.queues.values()].map((queue) => queue.vendor));
    this.leftOutPackages = vendorModuleList.filter((module) => !used.has(module.name)).flatMap((module) => module.sdkPackages ?? []);
  }

  /** For every function that reads vendors; a config without such queues grants nothing. */
  grantVendorAccess(grantee: IGrantable): void {
    for (const [action, resources] of this.resourcesByAction) {
      grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: [action], resources: [...resources] }));
    }
  }
}
