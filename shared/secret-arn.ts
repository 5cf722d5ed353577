/**
 * Secrets Manager ARNs, parsed in one place (config validation, the CDK grants, the local
 * stand-in). A secret may be named by name or by ARN, with or without the six-character suffix
 * AWS appends to every secret's name in its ARN.
 */

export const secretArnPattern = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:([A-Za-z0-9/_+=.@-]{1,512})$/;
/** A secret name or ARN, as the config accepts it (and as gate.config.schema.json publishes it). */
export const secretIdPattern = /^([A-Za-z0-9/_+=.@-]{1,512}|arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512})$/;
const arnSuffixPattern = /-[A-Za-z0-9]{6}$/;

export interface SecretArn {
  /** The name inside the ARN, without AWS's suffix when it has one. */
  name: string;
  /** The ARN ends in AWS's six-character suffix (a complete ARN, not a partial one). */
  complete: boolean;
}

/** The parts of a secret ARN; undefined for a plain secret name. */
export function parseSecretArn(secretId: string): SecretArn | undefined {
  const match = secretArnPattern.exec(secretId);
  if (!match) return undefined;
  const complete = arnSuffixPattern.test(match[1]!);
  return { name: complete ? match[1]!.replace(arnSuffixPattern, '') : match[1]!, complete };
}
