/**
 * Amazon Connect at a queue's `endpoint`, in the protocol `@aws-sdk/client-connect` speaks
 * (restJson1, SigV4): `POST /metrics/current/{InstanceId}` (GetCurrentMetricData) and
 * `GET /queues/{InstanceId}/{QueueId}` (DescribeQueue), errors as `x-amzn-ErrorType` with a JSON
 * message. It also answers STS `AssumeRole` (awsQuery, XML), so a queue with `roleArn` runs the
 * real STS client too: a wrong external id is AccessDenied, and Connect calls must then be signed
 * with the credentials it issued. An unknown queue id answers an empty MetricResults list;
 * `POST /__sim/forget-queues` makes every queue unknown (a typo in the config, as Connect sees it).
 */
import { randomUUID } from 'node:crypto';
import { type SimRequest, type SimResponse, type SimulatorOptions, type VendorSimulator, agentsWith, startSimulator } from './simulator';

export interface AmazonConnectSimulatorOptions extends SimulatorOptions {
  /** Instance id to the queue ids (bare ids) it holds. */
  instances: ReadonlyMap<string, readonly string[]>;
  /** When queues assume a role: the external id AssumeRole requires, and the roles it may assume. */
  assumeRole?: { externalId: string; roleArns: readonly string[] };
}

const awsJsonError = (status: number, type: string, message: string): SimResponse => ({
  status,
  json: { message },
  contentType: 'application/x-amz-json-1.1',
  headers: { 'x-amzn-ErrorType': type, 'x-amzn-RequestId': randomUUID() },
});

/** SigV4's credential scope: the access key id and the service the request was signed for. */
function signedBy(request: SimRequest): { accessKeyId: string; service: string } | undefined {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/[a-z0-9-]+\/([a-z0-9-]+)\/aws4_request/.exec(String(request.headers.authorization ?? ''));
  return match ? { accessKeyId: match[1]!, service: match[2]! } : undefined;
}

export function startAmazonConnectSimulator(options: AmazonConnectSimulatorOptions): Promise<VendorSimulator> {
  const issued = new Set<string>();
  const marker = options.personalDataMarker ?? 'Sim';
  const instances = new Map([...options.instances].map(([instance, queues]) => [instance, [...queues]]));
  return startSimulator(
    {
      vendor: 'amazon-connect',
      handle(request, simulator) {
        const signer = signedBy(request);
        if (request.method === 'POST' && request.url.pathname === '/') return assumeRole(request, signer?.service === 'sts', options, issued, marker);
        if (!signer || signer.service !== 'connect') return awsJsonError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
        if (options.assumeRole && !issued.has(signer.accessKeyId))
          return awsJsonError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
        const metrics = /^\/metrics\/current\/([^/]+)$/.exec(request.url.pathname);
        if (request.method === 'POST' && metrics) return currentMetrics(decodeURIComponent(metrics[1]!), request.body, instances, simulator);
        const queue = /^\/queues\/([^/]+)\/([^/]+)$/.exec(request.url.pathname);
        if (request.method === 'GET' && queue) return describeQueue(decodeURIComponent(queue[1]!), decodeURIComponent(queue[2]!), instances);
        return undefined;
      },
      control(path) {
        if (path !== '/__sim/forget-queues') return false;
        for (const queues of instances.values()) queues.splice(0);
        return true;
      },
      failure: {
        '5xx': () => awsJsonError(500, 'InternalServiceException', 'Request processing failed because of an error or failure with the service.'),
        '401': () => awsJsonError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'),
        '403': () => awsJsonError(403, 'AccessDeniedException', 'You do not have sufficient access to perform this action.'),
        // Connect sends no Retry-After on a throttle.
        '429': () => awsJsonError(429, 'ThrottlingException', 'Rate exceeded'),
      },
    },
    options,
  );
}

type Instances = ReadonlyMap<string, readonly string[]>;

function currentMetrics(instanceId: string, body: string, instances: Instances, simulator: VendorSimulator): SimResponse {
  const queues = instances.get(instanceId);
  if (!queues) return awsJsonError(404, 'ResourceNotFoundException', 'Instance not found');
  let input: { Filters?: { Queues?: string[] }; CurrentMetrics?: Array<{ Name: string; Unit?: string }> };
  try {
    input = JSON.parse(body || '{}') as typeof input;
  } catch {
    return awsJsonError(400, 'SerializationException', 'the request body is not JSON');
  }
  const asked = (input.Filters?.Queues ?? []).map((queue) => queue.split('/').at(-1)!);
  if (asked.length === 0) return awsJsonError(400, 'InvalidParameterException', 'Filters.Queues is required');
  const known = asked.filter((queue) => queues.includes(queue));
  const counts = countsOf(simulator);
  const MetricResults = known.map((queueId) => ({
    Dimensions: { Queue: { Id: queueId, Arn: `arn:aws:connect:us-east-1:123456789012:instance/${instanceId}/queue/${queueId}` }, Channel: 'VOICE' },
    Collections: (input.CurrentMetrics ?? []).map(({ Name, Unit }) => ({ Metric: { Name, Unit: Unit ?? 'COUNT' }, Value: counts[Name] ?? 0 })),
  }));
  return { status: 200, json: { MetricResults, DataSnapshotTime: Date.now() / 1000, ApproximateTotalCount: MetricResults.length } };
}

/** The documented meanings (docs/operators/vendors/amazon-connect.md#what-the-gate-counts): available, on contact, NPT; online is everyone not offline. */
function countsOf(simulator: VendorSimulator): Record<string, number> {
  const available = agentsWith(simulator, 'available').length;
  const busy = agentsWith(simulator, 'busy').length;
  const away = agentsWith(simulator, 'away').length;
  return {
    AGENTS_AVAILABLE: available,
    AGENTS_ON_CONTACT: busy,
    AGENTS_NON_PRODUCTIVE: away,
    AGENTS_ERROR: 0,
    AGENTS_ONLINE: available + busy + away,
    AGENTS_STAFFED: available + busy,
    CONTACTS_IN_QUEUE: 0,
  };
}

function describeQueue(instanceId: string, queueId: string, instances: Instances): SimResponse {
  if (!instances.get(instanceId)?.includes(queueId)) return awsJsonError(404, 'ResourceNotFoundException', 'Queue not found');
  const QueueArn = `arn:aws:connect:us-east-1:123456789012:instance/${instanceId}/queue/${queueId}`;
  return { status: 200, json: { Queue: { QueueId: queueId, QueueArn, Name: 'Simulated queue', Status: 'ENABLED' } } };
}

const stsXml = (status: number, body: string): SimResponse => ({ status, text: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`, contentType: 'text/xml' });

function assumeRole(request: SimRequest, signed: boolean, options: AmazonConnectSimulatorOptions, issued: Set<string>, marker: string): SimResponse {
  const form = new URLSearchParams(request.body);
  const denied = (message: string) =>
    stsXml(
      403,
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    );
  if (form.get('Action') !== 'AssumeRole')
    return stsXml(400, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Unknown action</Message></Error></ErrorResponse>`);
  if (!signed) return denied('Missing Authentication Token');
  const role = form.get('RoleArn') ?? '';
  if (!options.assumeRole?.roleArns.includes(role) || form.get('ExternalId') !== options.assumeRole.externalId) {
    return denied('User is not authorized to perform: sts:AssumeRole');
  }
  const accessKeyId = `ASIASIM${randomUUID().replace(/-/g, '').slice(0, 13).toUpperCase()}`;
  issued.add(accessKeyId);
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  return stsXml(
    200,
    `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>` +
      `<AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${marker}SecretAccessKey${randomUUID()}</SecretAccessKey>` +
      `<SessionToken>${marker}SessionToken${randomUUID()}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
      `<AssumedRoleUser><Arn>${role.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/transfer-gate</Arn><AssumedRoleId>AROASIM:transfer-gate</AssumedRoleId></AssumedRoleUser>` +
      `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
  );
}
