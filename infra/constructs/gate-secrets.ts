/**
 * The secrets the functions may read: exactly those gate.config.json names (each queue's
 * `secret`, read by every function, and the `callersSecret`, read only by the HTTP function),
 * imported by name or ARN. The stack never creates them: the
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
  /** Every secret the config names, once each, in the order first named: the queues' secrets, then the callers secret. */
  readonly secretIds: readonly string[];
  /** The queues' secrets (each once): every function reads vendors. */
  readonly vendorSecretIds: readonly string[];
  /** Only the HTTP function authenticates callers. */
  readonly callersSecretId: string;
  private readonly secrets = new Map<string, ISecret>();

  constructor(scope: Construct, id: string, props: GateSecretsProps) {
    super(scope, id);
    // An Amazon Connect queue read with the function's own role names no secret.
    this.vendorSecretIds = [...new Set([...props.config.queues.values()].flatMap((queue) => queue.secret ?? []))];
    this.callersSecretId = props.config.callersSecret;
    this.secretIds = [...new Set([...this.vendorSecretIds, this.callersSecretId])];
    this.secretIds.forEach((secretId, index) => this.secrets.set(secretId, importSecret(this, `Secret${index}`, secretId)));
  }

  /** Read access to the queues' secrets, for every function that reads a vendor. */
  grantVendorRead(grantee: IGrantable & Construct): Grant | undefined {
    return this.vendorSecretIds
      .map((secretId) => this.grantOne(grantee, secretId))
      .reduce<Grant | undefined>((all, grant) => all?.combine(grant) ?? grant, undefined);
  }

  /** Read access to the callers secret, for the function that authenticates callers (HTTP). */
  grantCallersRead(grantee: IGrantable & Construct): Grant {
    return this.grantOne(grantee, this.callersSecretId);
  }

  /** Read access (GetSecretValue, DescribeSecret) to one secret, acknowledged where the suffix needs a wildcard. */
  private grantOne(grantee: IGrantable & Construct, secretId: string): Grant {
    const grant = this.secrets.get(secretId)!.grantRead(grantee);
    const wildcard = wildcardResource(secretId);
    if (!wildcard) return grant;
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${wildcard}]`,
      reason: `Secret "${secretId}" is known by name, not full ARN; the only wildcard is the six-character suffix AWS appends to every secret's ARN.`,
    });
    return grant;
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
