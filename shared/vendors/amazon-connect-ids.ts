/**
 * Amazon Connect ids and ARNs, in one place: the queue schema checks them, the adapter sends the
 * queue id, and the stack scopes its IAM grants with them (docs/operators/vendors/amazon-connect.md).
 * A queue ARN has the form `arn:{partition}:connect:{region}:{account}:instance/{instanceId}/queue/{queueId}`.
 */

/** An AWS Region name such as `us-east-1`, `eu-west-2` or `us-gov-west-1`. */
export const awsRegionPattern = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Connect instance and queue ids are UUIDs. */
const uuid = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
export const connectIdPattern = new RegExp(`^${uuid}$`);

const queueArnSource = `^arn:(aws[a-z-]*):connect:([a-z]{2}(?:-[a-z]+)+-\\d{1,2}):(\\d{12}):instance/(${uuid})/queue/(${uuid})$`;
export const connectQueueArnPattern = new RegExp(queueArnSource);
/** A queue id, or a queue ARN (what `queueId` accepts). */
export const connectQueueIdPattern = new RegExp(`^${uuid}$|${queueArnSource}`);

/** An IAM role ARN, path allowed: `arn:aws:iam::123456789012:role/path/name`. */
export const iamRoleArnPattern = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

export interface ConnectQueueArn {
  partition: string;
  region: string;
  account: string;
  instanceId: string;
  queueId: string;
}

/** The parts of a queue ARN; undefined for a bare queue id. */
export function parseConnectQueueArn(value: string): ConnectQueueArn | undefined {
  const match = connectQueueArnPattern.exec(value);
  if (!match) return undefined;
  const [, partition, region, account, instanceId, queueId] = match as unknown as [string, string, string, string, string, string];
  return { partition, region, account, instanceId, queueId };
}

/** What a config names; the ARNs below are built from it. */
export interface ConnectQueueRef {
  region: string;
  instanceId: string;
  queueId: string;
}

/** The queue's bare id, whether the config gave an id or an ARN. */
export function connectQueueIdOf(queueId: string): string {
  return parseConnectQueueArn(queueId)?.queueId ?? queueId;
}

/**
 * The instance and queue ARNs a queue is read through, for IAM: the queue ARN when the config gave
 * one, else built from the region, the instance and `account` (the stack's own account).
 */
export function connectResourceArns(queue: ConnectQueueRef, account: string, partition = 'aws'): { instanceArn: string; queueArn: string } {
  const parsed = parseConnectQueueArn(queue.queueId);
  const owner = parsed ?? { partition, region: queue.region, account, instanceId: queue.instanceId, queueId: queue.queueId };
  const instanceArn = `arn:${owner.partition}:connect:${owner.region}:${owner.account}:instance/${owner.instanceId}`;
  return { instanceArn, queueArn: `${instanceArn}/queue/${owner.queueId}` };
}

/** Vendor budgets and throttling blocks for Connect are per account and Region: this is their key. */
export function connectLimitKey(region: string): string {
  return `amazon-connect:${region}`;
}
export const connectLimitKeyPattern = /^amazon-connect:[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
