/**
 * The secrets the functions may read: exactly those gate.config.json names (each queue's
 * `secret` and the `callersSecret`), imported by name or ARN. The stack never creates them: the
 * operator does, so no credential ever passes through CloudFormation.
 */
import { Validations } from 'aws-cdk-lib';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { GateConfig } from '../../shared/config/gate-config';
import { parseSecretArn } from '../../shared/secret-arn';

export interface GateSecretsProps {
  /** The validated config; its queues' secrets and callers secret are the only ones granted. */
  readonly config: GateConfig;
}


export class GateSecrets extends Construct {
  /** Every secret the config names, once each, in the order first named. */
  readonly secretIds: readonly string[];
  private readonly secrets: ReadonlyArray<ISecret>;

  constructor(scope: Construct, id: string, props: GateSecretsProps) {
    super(scope, id);
    const ids = [...props.config.queues.values()].map((queue) => queue.secret);
    ids.push(props.config.callersSecret);
    this.secretIds = [...new Set(ids)];
    this.secrets = this.secretIds.map((secretId, index) => importSecret(this, `Secret${index}`, secretId));
  }

  /** Read access (GetSecretValue, DescribeSecret) to these secrets only, acknowledged where the suffix needs a wildcard. */
  /** One grant covering every secret the config names. */
  grantRead(grantee: IGrantable & Construct): Grant {
    const grants = this.secrets.map((secret, index) => {
      const grant = secret.grantRead(grantee);
      const wildcard = wildcardResource(this.secretIds[index]!);
      if (!wildcard) return grant;
      Validations.of(grantee).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${wildcard}]`,
        reason: `Secret "${this.secretIds[index]}" is known by name, not full ARN; the only wildcard is the six-character suffix AWS appends to every secret's ARN.`,
      });
      return grant;
    });
    // Never empty: the callers secret is always among them.
    return grants.reduce((all, grant) => all.combine(grant));
  }
}

function importSecret(scope: Construct, id: string, secretId: string): ISecret {
  const arn = parseSecretArn(secretId);
  if (!arn) return Secret.fromSecretNameV2(scope, id, secretId);
  if (arn.complete) return Secret.fromSecretCompleteArn(scope, id, secretId);
  return Secret.fromSecretPartialArn(scope, id, secretId);
}

/** The resource as cdk-nag reports it, for secrets whose ARN the stack has to complete with `-??????`. */
function wildcardResource(secretId: string): string | undefined {
  const arn = parseSecretArn(secretId);
  if (!arn) return `arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${secretId}-??????`;
  return arn.complete ? undefined : `${secretId}-??????`;
}
