/**
 * Credentials of the role an Amazon Connect queue names in `roleArn` (another account's instance),
 * from STS AssumeRole with the queue secret's external id (docs/operators/vendors/amazon-connect.md,
 * "Another account's instance"). Kept until 5 minutes before they expire and shared by every queue
 * on the same role, external id and Region. Loaded only by a container that reads such a queue.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { withEnvironmentCredentials } from '../aws-clients';
import { VendorError } from '../errors';
import { connectVendorError } from './amazon-connect-errors';
import type { AwsClientOverrides } from './port';

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface AssumeRoleRequest {
  roleArn: string;
  externalId: string;
  region: string;
  /** A loopback simulator that also answers STS (local runs only). */
  endpoint?: string;
  /** The asking check's budget: it stops waiting then; the AssumeRole call itself goes on for others. */
  signal: AbortSignal;
}

/** Refresh this long before the credentials expire, so no call is signed with credentials about to lapse. */
export const refreshBeforeExpiryMs = 5 * 60_000;
/** One AssumeRole call may take this long, whichever check started it. */
const assumeRoleTimeoutMs = 10_000;
const sessionSeconds = 3600;

export class AssumedRoles {
  private readonly cache = new Map<string, RoleCredentials>();
  private readonly flights = new Map<string, Promise<RoleCredentials>>();
  private readonly clients = new Map<string, STSClient>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly overrides: AwsClientOverrides = {},
  ) {}

  async credentials(request: AssumeRoleRequest): Promise<RoleCredentials> {
    const key = JSON.stringify([request.roleArn, request.externalId, request.region, request.endpoint ?? '']);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt - refreshBeforeExpiryMs > this.now()) return cached;
    let flight = this.flights.get(key);
    if (!flight) {
      flight = this.assume(request).finally(() => this.flights.delete(key));
      this.flights.set(key, flight);
    }
    const credentials = await untilAborted(flight, request.signal);
    this.cache.set(key, credentials);
    return credentials;
  }

  private async assume(request: AssumeRoleRequest): Promise<RoleCredentials> {
    const signal = AbortSignal.timeout(assumeRoleTimeoutMs);
    try {
      const command = new AssumeRoleCommand({
        RoleArn: request.roleArn,
        ExternalId: request.externalId,
        RoleSessionName: 'transfer-gate',
        DurationSeconds: sessionSeconds,
      });
      const { Credentials: credentials } = await this.client(request.region, request.endpoint).send(command, { abortSignal: signal });
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
        throw new VendorError('bad_payload', 'STS AssumeRole answered without credentials');
      }
      const expiresAt = credentials.Expiration.getTime();
      return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken, expiresAt };
    } catch (thrown) {
      throw connectVendorError(thrown, signal, 'STS AssumeRole');
    }
  }

  private client(region: string, endpoint: string | undefined): STSClient {
    const key = `${region}|${endpoint ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      // The function's own credentials (its role) sign the AssumeRole call.
      const base = { region, ...(endpoint && { endpoint }), maxAttempts: 1, requestHandler: this.overrides.requestHandler ?? { connectionTimeout: 1000 } };
      client = new STSClient(this.overrides.credentials ? { ...base, credentials: this.overrides.credentials } : withEnvironmentCredentials(base));
      this.clients.set(key, client);
    }
    return client;
  }
}

/** `promise`, or a timeout VendorError as soon as `signal` aborts (the promise itself goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new VendorError('timeout', 'STS AssumeRole did not answer within the time budget'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new VendorError('timeout', 'STS AssumeRole did not answer within the time budget'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
