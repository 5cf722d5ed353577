/**
 * Amazon Connect: real-time queue metrics through the AWS SDK (docs/operators/vendors/amazon-connect.md).
 * `GetCurrentMetricData` for one queue on the VOICE channel, signed with the function's own role,
 * or with a role of the buyer's account assumed with an external id (`roleArn` + `secret`).
 * The SDK glue (amazon-connect-sdk.ts) loads at the first Connect check.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { allOrNone, described, gateOnly, queueBaseShape, secretId, withRules } from '../config/fields';
import type { ObjectRule } from '../config/object-rules';
import { VendorError } from '../errors';
import {
  awsRegionPattern,
  connectIdPattern,
  connectLimitKey,
  connectLimitKeyPattern,
  connectQueueIdOf,
  connectQueueIdPattern,
  connectResourceArns,
  iamRoleArnPattern,
  parseConnectQueueArn,
} from './amazon-connect-ids';
import type { ConnectApi, ConnectTarget } from './amazon-connect-sdk';
import { isSafeCountSum, vendorCount } from './counts';
import type { AdapterDeps, Availability, VendorAdapter } from './port';
import type { VendorModule } from './vendor-module';

/** A loopback origin only: `endpoint` points the SDK at a local simulator, never at another AWS host. */
const loopbackOrigin = /^https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/;

/** A queue ARN must name the queue's own Region and instance (JSON Schema cannot compare fields). */
const queueArnMatches: ObjectRule = {
  check(value, ctx) {
    const arn = typeof value.queueId === 'string' ? parseConnectQueueArn(value.queueId) : undefined;
    if (!arn) return;
    if (arn.region !== value.region || arn.instanceId.toLowerCase() !== String(value.instanceId).toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['queueId'], message: 'the queue ARN must name the same region and instanceId as the queue' });
    }
  },
  jsonSchema: {},
};

export const amazonConnectQueueSchema = gateOnly(
  withRules(
    z.strictObject({
      ...queueBaseShape,
      vendor: described(z.literal('amazon-connect'), 'The platform this queue lives in: Amazon Connect (a queue, read through its real-time metrics).'),
      // Only with roleArn: it then holds the external id. The function's own role needs no secret.
      secret: z.optional(
        described(
          secretId,
          'With roleArn only: the Secrets Manager secret (name or ARN) holding {"externalId"} for the role to assume; none on the function\'s own role.',
        ),
      ),
      region: described(
        z.string().check(z.regex(awsRegionPattern, 'must be an AWS Region such as us-east-1')),
        'The AWS Region of the Amazon Connect instance, e.g. us-east-1.',
      ),
      instanceId: described(
        z.string().check(z.regex(connectIdPattern, 'must be the Amazon Connect instance id (a UUID)')),
        'The Amazon Connect instance id (a UUID).',
      ),
      queueId: described(
        z.string().check(z.regex(connectQueueIdPattern, 'must be a queue id (a UUID) or a queue ARN')),
        'The queue: its id (a UUID) or its ARN, which must name the same Region and instance.',
      ),
      roleArn: z.optional(
        described(
          z.string().check(z.regex(iamRoleArnPattern, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/name')),
          "For an instance in another AWS account: the IAM role to assume (with the external id in secret); absent: the function's own role.",
        ),
      ),
      endpoint: z.optional(
        described(
          z.string().check(z.regex(loopbackOrigin, 'must be a loopback URL such as http://127.0.0.1:3109 (local simulators only)')),
          'Local simulators only: a loopback origin the SDK calls instead of AWS, e.g. http://127.0.0.1:3109.',
        ),
      ),
    }),
    [allOrNone(['roleArn', 'secret'], 'give roleArn and secret together: the secret holds the external id of the role to assume'), queueArnMatches],
  ),
  'JSON Schema cannot compare the Region and instance inside a queueId ARN with the region and instanceId fields',
);
export type AmazonConnectQueue = z.output<typeof amazonConnectQueueSchema>;

const externalIdSchema = z.object({ externalId: z.string().check(z.minLength(2), z.maxLength(1224)) });
/** `{"externalId": "..."}` for a queue with `roleArn`; a queue read with the function's own role has no secret. */
export const amazonConnectSecretSchema = z.optional(externalIdSchema);
export type AmazonConnectSecret = z.output<typeof amazonConnectSecretSchema>;

/** What the gate asks for; every MetricResult carries all of them [doc]. */
export const amazonConnectMetricNames = [
  'AGENTS_AVAILABLE',
  'AGENTS_ONLINE',
  'AGENTS_STAFFED',
  'AGENTS_ON_CONTACT',
  'AGENTS_NON_PRODUCTIVE',
  'AGENTS_ERROR',
  'CONTACTS_IN_QUEUE',
] as const;

/** One queue on the VOICE channel: without a channel the counts mix chat and task capacity. */
export function amazonConnectMetricRequest(queue: Pick<AmazonConnectQueue, 'instanceId' | 'queueId'>) {
  return {
    InstanceId: queue.instanceId,
    Filters: { Queues: [queue.queueId], Channels: ['VOICE' as const] },
    Groupings: ['QUEUE' as const],
    CurrentMetrics: amazonConnectMetricNames.map((Name) => ({ Name, Unit: 'COUNT' as const })),
  };
}

// Minimal and tolerant, on what the SDK deserialized: metric names and values, and the snapshot time.
export const amazonConnectMetricsSchema = z.object({
  MetricResults: z.optional(
    z.array(
      z.object({
        Collections: z.optional(
          z.array(z.object({ Metric: z.optional(z.object({ Name: z.optional(z.string()) })), Value: z.optional(z.nullable(z.number())) })),
        ),
      }),
    ),
  ),
  DataSnapshotTime: z.date(),
});
export type AmazonConnectMetrics = z.output<typeof amazonConnectMetricsSchema>;

/** A snapshot older than this at the moment of reading is stale: `bad_payload`. */
export const maxSnapshotAgeMs = 60_000;

/** The normalized counts; undefined when Connect found no data (then the queue's existence decides). */
export function toAmazonConnectAvailability(metrics: AmazonConnectMetrics, now: number): Availability | undefined {
  if (now - metrics.DataSnapshotTime.getTime() > maxSnapshotAgeMs) throw new VendorError('bad_payload', 'Amazon Connect answered a snapshot older than 60 s');
  const result = metrics.MetricResults?.[0];
  if (!result) return undefined;
  const values = new Map<string, number>();
  for (const { Metric, Value } of result.Collections ?? []) {
    if (Metric?.Name === undefined || Value === undefined || Value === null) continue;
    if (!vendorCount.safeParse(Value).success) throw new VendorError('bad_payload', `Amazon Connect answered ${Metric.Name} that is not a count`);
    values.set(Metric.Name, Value);
  }
  // A null AGENTS_AVAILABLE is "insufficient data" [doc]: never read as 0.
  const available = values.get('AGENTS_AVAILABLE');
  if (available === undefined) throw new VendorError('bad_payload', 'Amazon Connect answered no AGENTS_AVAILABLE value');
  const availability: Availability = { available };
  const busy = values.get('AGENTS_ON_CONTACT');
  if (busy !== undefined) availability.busy = busy;
  // NPT and error overlap On contact: these counts are not a partition, so no total is summed from them.
  const away = ['AGENTS_NON_PRODUCTIVE', 'AGENTS_ERROR'].flatMap((name) => values.get(name) ?? []);
  if (away.length) {
    if (!isSafeCountSum(away)) throw new VendorError('bad_payload', 'Amazon Connect answered away counts past 2^53 - 1');
    availability.away = away.reduce((sum, value) => sum + value, 0);
  }
  const total = values.get('AGENTS_ONLINE');
  if (total !== undefined) availability.total = total;
  return availability;
}

/** How long DescribeQueue's "this queue exists" is remembered (per container). */
export const knownQueueMs = 24 * 3600_000;

export interface AmazonConnectDeps extends AdapterDeps {
  /** The SDK glue; by default amazon-connect-sdk.ts, imported at the first check. */
  connect?: ConnectApi;
}

export function createAmazonConnectAdapter({ now = Date.now, connect, aws }: AmazonConnectDeps): VendorAdapter<AmazonConnectQueue, AmazonConnectSecret> {
  let api: Promise<ConnectApi> | undefined = connect && Promise.resolve(connect);
  const connectApi = () => (api ??= import('./amazon-connect-sdk').then((module) => module.createConnectApi(now, aws)));
  const knownQueues = new Map<string, number>();

  /** An empty answer is 0 agents only for a queue that exists: a typo must not read as "nobody is free". */
  async function confirmQueue(sdk: ConnectApi, target: ConnectTarget, queue: AmazonConnectQueue, signal: AbortSignal, charge?: () => Promise<void>) {
    const key = JSON.stringify([queue.region, queue.instanceId, queue.queueId, queue.roleArn ?? '', queue.endpoint ?? '']);
    if ((knownQueues.get(key) ?? 0) > now()) return;
    await charge?.();
    await sdk.describeQueue(target, queue.instanceId, connectQueueIdOf(queue.queueId), signal);
    knownQueues.set(key, now() + knownQueueMs);
  }

  return {
    vendor: 'amazon-connect',
    secretSchema: amazonConnectSecretSchema,
    prepare(queues) {
      const withRoles = queues.some((queue) => queue.roleArn);
      connectApi().then(
        (sdk) => withRoles && sdk.prepareRoles(),
        () => undefined,
      );
    },
    async check({ queue, secret, signal, charge }) {
      const sdk = await connectApi();
      if (queue.roleArn && !secret) throw new VendorError('auth', 'the queue names a roleArn but no secret with its external id');
      const target: ConnectTarget = { region: queue.region, ...(queue.endpoint && { endpoint: queue.endpoint }) };
      if (queue.roleArn && secret) target.role = { roleArn: queue.roleArn, externalId: secret.externalId };
      await charge?.();
      const output = await sdk.currentMetrics(target, amazonConnectMetricRequest(queue), signal);
      const parsed = amazonConnectMetricsSchema.safeParse(output);
      if (!parsed.success) {
        const paths = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
        throw new VendorError('bad_payload', `Amazon Connect answer did not have the expected shape at: ${paths.join(', ')}`);
      }
      const availability = toAmazonConnectAvailability(parsed.data, now());
      if (availability) return availability;
      await confirmQueue(sdk, target, queue, signal, charge);
      return { available: 0, busy: 0, away: 0, total: 0 };
    },
  };
}

/** This vendor's registration (vendor-module.ts; listed in registry.ts). */
export const amazonConnectVendor = {
  name: 'amazon-connect',
  queueSchema: amazonConnectQueueSchema,
  secretSchema: amazonConnectSecretSchema,
  createAdapter: (deps: AdapterDeps) => createAmazonConnectAdapter(deps),
  // GetCurrentMetricData allows 5 requests a second per account and Region, shared with the
  // customer's own tools: the gate takes 2 a second (docs/operators/vendors/README.md).
  defaults: { callsPerMinute: 120 },
  answerExtras: {},
  sdkPackages: ['@aws-sdk/client-connect', '@aws-sdk/client-sts'],
  limits: { key: (queue: AmazonConnectQueue) => connectLimitKey(queue.region), keyPattern: connectLimitKeyPattern, keyForm: 'amazon-connect:<region>' },
  /** A queue read with the function's own role; an assumed role's rights are granted in the buyer's account. */
  iamStatements(queue: AmazonConnectQueue, stack: { account: string; partition: string }) {
    if (queue.roleArn) return [{ actions: ['sts:AssumeRole'], resources: [queue.roleArn] }];
    const { instanceArn, queueArn } = connectResourceArns(queue, stack.account, stack.partition);
    return [
      { actions: ['connect:GetCurrentMetricData'], resources: [instanceArn, queueArn] },
      { actions: ['connect:DescribeQueue'], resources: [queueArn] },
    ];
  },
} as const satisfies VendorModule;
