/**
 * Aircall public REST API: users' live availability (docs/operators/vendors/aircall.md).
 * A queue is a team (members cached 10 minutes) or a list of user ids. The rate limit (~120
 * calls/min) is per company and shared by every integration, so a 429 stops every queue of the
 * same credentials until the reset it names, and a check spends as few calls as it can
 * (aircall-members.ts).
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { described, exactlyOneOf, numericId, queueBaseShape, vendorBaseUrl, withRules } from '../config/fields';
import { VendorError } from '../errors';
import { type HttpClient, parseRetryAfter } from './http-client';
import { maxRetryAfterMs } from './retry-after';
import { type AircallGet, AircallTeamCache, readAircallAllStatuses, readAircallMemberStatuses, readAircallTeamMembers } from './aircall-members';
import type { AdapterDeps, Availability, VendorAdapter, VendorCheckRequest } from './port';
import type { VendorModule } from './vendor-module';

export const aircallDefaultBaseUrl = 'https://api.aircall.io';

export const aircallQueueSchema = withRules(
  z.strictObject({
    ...queueBaseShape,
    vendor: described(z.literal('aircall'), 'The platform this queue lives in: Aircall (a team, or a list of users).'),
    teamId: z.optional(described(numericId, 'The Aircall team whose members count (exactly one of teamId, userIds).')),
    userIds: z.optional(
      described(z.array(numericId).check(z.minLength(1), z.maxLength(1000)), 'The Aircall users who count (exactly one of teamId, userIds).'),
    ),
    baseUrl: vendorBaseUrl(aircallDefaultBaseUrl),
  }),
  [exactlyOneOf(['teamId', 'userIds'])],
);
export type AircallQueue = z.output<typeof aircallQueueSchema>;

export const aircallSecretSchema = z.object({ apiId: z.string().check(z.minLength(1)), apiToken: z.string().check(z.minLength(1)) });
export type AircallSecret = z.output<typeof aircallSecretSchema>;

// Live statuses [2nd]. A Map, not an object literal: vendor strings such as "constructor" must not hit the prototype.
// `on_mobile` (answering on the mobile app) is live and free: available (docs/operators/vendors/aircall.md).
const aircallStatusCounts = new Map<string, 'available' | 'busy' | 'away' | 'offline'>([
  ['available', 'available'],
  ['on_mobile', 'available'],
  ['in_call', 'busy'],
  ['after_call_work', 'busy'],
  ['do_not_disturb', 'away'],
  ['offline', 'offline'],
]);

/** Counts the members; one missing from `statuses` is offline, an unknown status counts in `total` only. */
export function toAircallAvailability(members: readonly string[], statuses: ReadonlyMap<string, string>): Availability {
  const counts = { available: 0, busy: 0, away: 0, offline: 0 };
  for (const id of members) {
    const kind = aircallStatusCounts.get(statuses.get(id) ?? 'offline');
    if (kind) counts[kind] += 1;
  }
  return { ...counts, total: members.length };
}

/**
 * How long a non-2xx answer asks us to wait: the later of Retry-After and X-AircallApi-Reset.
 * Reset's unit is undocumented [2nd]; decision (docs/operators/vendors/aircall.md): above 10^12 it is
 * epoch milliseconds, else epoch seconds. Anything else is no hint.
 */
export function aircallRetryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const hints = [parseRetryAfter(headers.get('retry-after'), nowMs), aircallResetMs(headers.get('x-aircallapi-reset'), nowMs)];
  const known = hints.filter((hint): hint is number => hint !== undefined);
  return known.length ? Math.max(...known) : undefined;
}

/** A reset this far in the past is not a clock skew but a value in another unit: no hint. */
const aircallResetMaxPastMs = 60 * 60_000;

function aircallResetMs(value: string | null, nowMs: number): number | undefined {
  const trimmed = value?.trim() ?? '';
  // Digits only (no sign, fraction or exponent), at most 16: epoch ms has 13 for centuries.
  if (!/^\d{1,16}$/.test(trimmed)) return undefined;
  const raw = Number(trimmed);
  const resetAt = raw > 1e12 ? raw : raw * 1000;
  const waitMs = resetAt - nowMs;
  if (waitMs < -aircallResetMaxPastMs) return undefined;
  return Math.min(Math.max(0, waitMs), maxRetryAfterMs);
}

/** A 429 without any hint waits out Aircall's one-minute window; the gate caps every block at 5 minutes. */
const defaultBlockMs = 60_000;
const minBlockMs = 1_000;

/**
 * A rate_limited error carries the wait Aircall asked for, so that the gate blocks every queue
 * of the same secret (the company's budget), in every container.
 */
function withAircallWait(error: unknown): unknown {
  if (!(error instanceof VendorError) || error.kind !== 'rate_limited') return error;
  const waitMs = Math.max(error.retryAfterMs ?? defaultBlockMs, minBlockMs);
  return new VendorError('rate_limited', error.message, { status: error.status, retryAfterMs: waitMs, cause: error });
}

interface AircallCallContext {
  http: HttpClient;
  secret: AircallSecret;
  signal: AbortSignal;
  deadline: number;
  now: () => number;
  /** Told when a 2xx says no call is left: the next one would be a 429, so none is made before the reset. */
  holdOff?: (waitMs: number) => void;
}

function aircallGetter({ http, secret, signal, deadline, now, holdOff }: AircallCallContext): AircallGet {
  const headers = { Authorization: `Basic ${Buffer.from(`${secret.apiId}:${secret.apiToken}`).toString('base64')}`, Accept: 'application/json' };
  const retryAfterFromHeaders = (responseHeaders: Headers) => aircallRetryAfterMs(responseHeaders, now());
  /** Set when an answer said `Remaining: 0`: no further call of this check is made before then. */
  let spentUntil = 0;
  return async (url, schema) => {
    if (now() >= deadline) throw new VendorError('timeout', 'the time budget ran out between Aircall calls');
    if (now() < spentUntil) {
      throw new VendorError('rate_limited', 'Aircall said no call is left before its reset', { retryAfterMs: spentUntil - now() });
    }
    try {
      // 401 or 403 (a request without credentials was seen answering 403 too) [2nd]: the HTTP client maps both to auth.
      const response = await http.requestJson({ url, headers, signal, retryAfterFromHeaders }, schema);
      if (response.headers.get('x-aircallapi-remaining')?.trim() === '0') {
        // Stop at Remaining: 0 until Reset; without a usable Reset, Aircall's one-minute window (docs/operators/vendors/aircall.md).
        const waitMs = Math.max(aircallRetryAfterMs(response.headers, now()) ?? defaultBlockMs, minBlockMs);
        spentUntil = now() + waitMs;
        holdOff?.(waitMs);
      }
      return response.body;
    } catch (error) {
      throw withAircallWait(error);
    }
  };
}

export function createAircallAdapter({ http, now = Date.now }: AdapterDeps): VendorAdapter<AircallQueue, AircallSecret> {
  const teams = new AircallTeamCache(now);
  const getterFor = (request: VendorCheckRequest<AircallQueue, AircallSecret>) =>
    aircallGetter({ http: request.http ?? http, secret: request.secret, signal: request.signal, deadline: request.deadline, now, holdOff: request.holdOff });
  /** The queue's members: its user ids, or its team's (kept 10 minutes per base URL, company and team). */
  const membersOf = async (queue: AircallQueue, secret: AircallSecret, get: AircallGet): Promise<string[]> => {
    const baseUrl = queue.baseUrl ?? aircallDefaultBaseUrl;
    const teamId = queue.teamId;
    if (teamId === undefined) return [...new Set(queue.userIds)];
    return teams.members(`${baseUrl} ${secret.apiId} ${teamId}`, () => readAircallTeamMembers(get, baseUrl, teamId));
  };
  return {
    vendor: 'aircall',
    secretSchema: aircallSecretSchema,
    async check(request) {
      const get = getterFor(request);
      const members = await membersOf(request.queue, request.secret, get);
      // An empty team is a real "nobody", not a failure, and costs no availability call.
      const statuses = members.length
        ? await readAircallMemberStatuses(get, request.queue.baseUrl ?? aircallDefaultBaseUrl, members)
        : new Map<string, string>();
      return toAircallAvailability(members, statuses);
    },
    // Queues on one secret (one company) share one company-wide availability read per cacheTtlMs.
    shared: {
      key: (queue) => `aircall:${queue.secret}`,
      async read(request) {
        return readAircallAllStatuses(getterFor(request), request.queue.baseUrl ?? aircallDefaultBaseUrl);
      },
      async project(request, snapshot) {
        const members = await membersOf(request.queue, request.secret, getterFor(request));
        return toAircallAvailability(members, new Map(Object.entries(snapshot)));
      },
    },
  };
}

/** This vendor's registration (vendor-module.ts; listed in registry.ts). */
export const aircallVendor = {
  name: 'aircall',
  queueSchema: aircallQueueSchema,
  secretSchema: aircallSecretSchema,
  createAdapter: createAircallAdapter,
  defaults: { callsPerMinute: 60 },
  answerExtras: {},
} as const satisfies VendorModule;
