/**
 * Twilio TaskRouter: a TaskQueue's real-time statistics (docs/operators/vendors/twilio.md).
 * HTTP Basic with an API key (or the account's auth token); one call per check. Twilio's rate
 * limits are per account and not published: `X-Rate-Limit-Remaining: 0` on an answer, or a 429
 * without Retry-After, blocks the secret for TaskRouter's 10-second averaging window.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { described, queueBaseShape, vendorOrigin } from '../config/fields';
import { VendorError } from '../errors';
import { vendorEndpoint } from './http-client';
import { isSafeCountSum, vendorCount } from './counts';
import type { AdapterDeps, Availability, VendorAdapter } from './port';
import type { VendorModule } from './vendor-module';

/** The US1 host; the only one the gate documents (Twilio Regions need region-specific credentials). */
export const twilioDefaultBaseUrl = 'https://taskrouter.twilio.com';
export const twilioDefaultTaskChannel = 'voice';
/** TaskRouter averages its rate limits over 10 s [doc]: the wait when Twilio names none. */
export const twilioBlockMs = 10_000;

const sid = (prefix: string) => z.string().check(z.regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be a SID: ${prefix} and 32 hex digits`));

export const twilioQueueSchema = z.strictObject({
  ...queueBaseShape,
  vendor: described(z.literal('twilio'), 'The platform this queue lives in: Twilio TaskRouter (a TaskQueue).'),
  workspaceSid: described(sid('WS'), 'The TaskRouter Workspace SID (WS followed by 32 hex digits).'),
  taskQueueSid: described(sid('WQ'), 'The TaskQueue SID (WQ followed by 32 hex digits).'),
  // A TaskChannel SID or unique name such as voice, sms or default [doc]; goes into the query.
  taskChannel: z.optional(
    described(
      z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a TaskChannel SID or unique name such as voice')),
      'The TaskChannel whose workers are counted, by SID or unique name (default voice).',
    ),
  ),
  baseUrl: z.optional(vendorOrigin),
});
export type TwilioQueue = z.output<typeof twilioQueueSchema>;

const secretText = z.string().check(z.minLength(1));
/** An API key (recommended) or the account's auth token (Twilio limits that to local testing). */
export const twilioSecretSchema = z.union([
  z.object({ accountSid: sid('AC'), apiKeySid: sid('SK'), apiKeySecret: secretText }),
  z.object({ accountSid: sid('AC'), authToken: secretText }),
]);
export type TwilioSecret = z.output<typeof twilioSecretSchema>;

// Only the fields the mapping reads; `friendly_name` is customer text, compared and never returned.
export const twilioStatisticsBodySchema = z.object({
  account_sid: z.string(),
  total_available_workers: vendorCount,
  total_eligible_workers: z.optional(vendorCount),
  activity_statistics: z.optional(z.array(z.object({ friendly_name: z.string(), workers: vendorCount }))),
});
export type TwilioStatisticsBody = z.output<typeof twilioStatisticsBodySchema>;

/**
 * available = total_available_workers (an upper bound on multitasking workspaces); total =
 * total_eligible_workers; offline = the "Offline" activity's workers; away = the rest. Busy is
 * not reported: statistics cannot tell a task from a break.
 */
export function toTwilioAvailability(body: TwilioStatisticsBody): Availability {
  const available = body.total_available_workers;
  const offlineActivities = (body.activity_statistics ?? []).filter((activity) => activity.friendly_name.toLowerCase() === 'offline');
  const offline = offlineActivities.reduce((sum, activity) => sum + activity.workers, 0);
  if (!isSafeCountSum(offlineActivities.map((activity) => activity.workers))) {
    throw new VendorError('bad_payload', 'Twilio activity counts add up past a safe integer');
  }
  const total = body.total_eligible_workers;
  if (total === undefined) return { available, offline };
  return { available, offline, away: Math.max(0, total - available - offline), total };
}

export function twilioStatisticsUrl(queue: TwilioQueue): URL {
  const path = `/v1/Workspaces/${queue.workspaceSid}/TaskQueues/${queue.taskQueueSid}/RealTimeStatistics`;
  return vendorEndpoint(queue.baseUrl ?? twilioDefaultBaseUrl, path, { TaskChannel: queue.taskChannel ?? twilioDefaultTaskChannel });
}

function twilioAuthorization(secret: TwilioSecret): string {
  const [user, password] = 'apiKeySid' in secret ? [secret.apiKeySid, secret.apiKeySecret] : [secret.accountSid, secret.authToken];
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** A 429 without Retry-After waits TaskRouter's averaging window, so that the gate blocks the secret. */
function withTwilioWait(error: unknown): unknown {
  if (!(error instanceof VendorError) || error.kind !== 'rate_limited' || error.retryAfterMs !== undefined) return error;
  return new VendorError('rate_limited', error.message, { status: error.status, retryAfterMs: twilioBlockMs, cause: error });
}

export function createTwilioAdapter({ http }: AdapterDeps): VendorAdapter<TwilioQueue, TwilioSecret> {
  return {
    vendor: 'twilio',
    secretSchema: twilioSecretSchema,
    async check({ queue, secret, signal, holdOff, http: client = http }) {
      const headers = { Authorization: twilioAuthorization(secret), Accept: 'application/json' };
      // Statuses map as the HTTP client does: 401/403 auth (code 20003), 404 not_found (20404), 429, 400, 5xx.
      const response = await client.requestJson({ url: twilioStatisticsUrl(queue), headers, signal }, twilioStatisticsBodySchema).catch((error: unknown) => {
        throw withTwilioWait(error);
      });
      if (response.headers.get('x-rate-limit-remaining')?.trim() === '0') holdOff?.(twilioBlockMs);
      // A key of another (sub)account reads another account's queue: never counted.
      if (response.body.account_sid !== secret.accountSid) {
        throw new VendorError('bad_payload', 'Twilio answered for another account than the secret names');
      }
      return toTwilioAvailability(response.body);
    },
  };
}

/** This vendor's registration (vendor-module.ts; listed in registry.ts). */
export const twilioVendor = {
  name: 'twilio',
  queueSchema: twilioQueueSchema,
  secretSchema: twilioSecretSchema,
  createAdapter: createTwilioAdapter,
  defaults: { callsPerMinute: 60 },
  answerExtras: {},
} as const satisfies VendorModule;
