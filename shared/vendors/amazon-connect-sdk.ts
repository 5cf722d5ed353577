/**
 * The AWS SDK side of the Amazon Connect adapter: `GetCurrentMetricData` and `DescribeQueue`
 * through `@aws-sdk/client-connect` (restJson1, SigV4), one attempt each (the gate owns retries),
 * under the check's abort signal. amazon-connect.ts imports this module at the first Connect
 * check, so a container that reads no Connect queue never evaluates the SDK client.
 */
import {
  ConnectClient,
  DescribeQueueCommand,
  GetCurrentMetricDataCommand,
  type GetCurrentMetricDataCommandInput,
  type GetCurrentMetricDataCommandOutput,
} from '@aws-sdk/client-connect';
import { withEnvironmentCredentials } from '../aws-clients';
import { connectVendorError } from './amazon-connect-errors';
import type { AssumedRoles } from './amazon-connect-role';
import type { AwsClientOverrides } from './port';

export interface ConnectTarget {
  region: string;
  /** A loopback simulator (local runs only); else the SDK's regional endpoint. */
  endpoint?: string;
  /** Another account's instance: the role to assume and its external id. */
  role?: { roleArn: string; externalId: string };
}

export interface ConnectApi {
  currentMetrics(target: ConnectTarget, input: GetCurrentMetricDataCommandInput, signal: AbortSignal): Promise<GetCurrentMetricDataCommandOutput>;
  /** Resolves when the queue exists; throws a VendorError (`not_found` when it does not). */
  describeQueue(target: ConnectTarget, instanceId: string, queueId: string, signal: AbortSignal): Promise<void>;
  /** Starts loading the STS client now (the config names a roleArn), not at the first check. */
  prepareRoles(): void;
}

interface CachedClient {
  /** The access key the client signs with ('' for the function's own credentials). */
  accessKeyId: string;
  client: ConnectClient;
}

/** One client per Region, endpoint and identity; a client on an assumed role is replaced when its credentials are. */
export function createConnectApi(now: () => number = Date.now, overrides: AwsClientOverrides = {}): ConnectApi {
  const clients = new Map<string, CachedClient>();
  let roles: Promise<AssumedRoles> | undefined;
  // The STS client is loaded by the first queue that names a roleArn, not before.
  const assumedRoles = () => (roles ??= import('./amazon-connect-role').then((module) => new module.AssumedRoles(now, overrides)));

  async function clientFor(target: ConnectTarget, signal: AbortSignal): Promise<ConnectClient> {
    const key = JSON.stringify([target.region, target.endpoint ?? '', target.role?.roleArn ?? '', target.role?.externalId ?? '']);
    const role = target.role && (await (await assumedRoles()).credentials({ ...target.role, region: target.region, endpoint: target.endpoint, signal }));
    const cached = clients.get(key);
    if (cached && cached.accessKeyId === (role?.accessKeyId ?? '')) return cached.client;
    cached?.client.destroy();
    const base = {
      region: target.region,
      ...(target.endpoint && { endpoint: target.endpoint }),
      maxAttempts: 1,
      requestHandler: overrides.requestHandler ?? { connectionTimeout: 1000 },
    };
    const own = overrides.credentials ? { ...base, credentials: overrides.credentials } : withEnvironmentCredentials(base);
    const client = new ConnectClient(role ? { ...base, credentials: role } : own);
    clients.set(key, { accessKeyId: role?.accessKeyId ?? '', client });
    return client;
  }

  return {
    prepareRoles: () => void assumedRoles().catch(() => undefined),
    async currentMetrics(target, input, signal) {
      try {
        return await (await clientFor(target, signal)).send(new GetCurrentMetricDataCommand(input), { abortSignal: signal });
      } catch (thrown) {
        throw connectVendorError(thrown, signal);
      }
    },
    async describeQueue(target, instanceId, queueId, signal) {
      try {
        await (await clientFor(target, signal)).send(new DescribeQueueCommand({ InstanceId: instanceId, QueueId: queueId }), { abortSignal: signal });
      } catch (thrown) {
        throw connectVendorError(thrown, signal);
      }
    },
  };
}
