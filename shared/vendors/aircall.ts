/**
 * Aircall public REST API: users' live availability (vendor-contracts.md section 4).
 * A queue is a team (members cached 10 minutes) or a list of user ids. The rate limit (~120
 * calls/min) is per company and shared by every integration, so a 429 stops every queue of the
 * same credentials until the reset it names, and a check spends as few calls as it can
 * (aircall-members.ts).
 */
import * as z from 'zod';
import { exactlyOneOf, numericId, queueBaseShape, vendorUrl } from '../config/fields';
import { VendorError } from '../errors';
import { type HttpClient, parseRetryAfter } from './http-client';
import { type AircallGet, AircallTeamCache, readAircallMemberStatuses, readAircallTeamMembers } from './aircall-members';
import type { AdapterDeps, Availability, VendorAdapter } from './port';

export const aircallDefaultBaseUrl = 'https://api.aircall.io';

export const aircallQueueSchema = z
  .strictObject({
    ...queueBaseShape,
    vendor: z.literal('aircall'),
    teamId: numericId.optional(),
    userIds: z.array(numericId).min(1).max(1000).optional(),
    baseUrl: vendorUrl.optional(),
  })
  .superRefine(exactlyOneOf(['teamId', 'userIds']));
export type AircallQueue = z.output<typeof aircallQueueSchema>;

export const aircallSecretSchema = z.object({ apiId: z.string().min(1), apiToken: z.string().min(1) });
export type AircallSecret = z.output<typeof aircallSecretSchema>;

// Live statuses [2nd]. A Map, not an object literal: vendor strings such as "constructor" must not hit the prototype.
const aircallStatusCounts = new Map<string, 'available' | 'busy' | 'away' | 'offline'>([
  ['available', 'available'],
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
 * Reset's unit is undocumented [2nd]: above 1e9 it is read as epoch seconds, else as seconds to wait.
 */
export function aircallRetryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const hints = [parseRetryAfter(headers.get('retry-after'), nowMs), aircallResetMs(headers.get('x-aircallapi-reset'), nowMs)];
  const known = hints.filter((hint): hint is number => hint !== undefined);
  return known.length ? Math.max(...known) : undefined;
}

function aircallResetMs(value: string | null, nowMs: number): number | undefined {
  if (!value || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  const seconds = Number(value.trim());
  return seconds > 1e9 ? Math.max(0, Math.round(seconds * 1000 - nowMs)) : Math.round(seconds * 1000);
}

/** A 429 without any hint waits out Aircall's one-minute window; no hint may lock a company out for more than 5 minutes. */
const defaultBlockMs = 60_000;
const minBlockMs = 1_000;
const maxBlockMs = 300_000;

/** Per company (per apiId): the budget is the company's, so one queue's 429 holds back all of its queues. */
export class AircallCompanyLimits {
  private readonly blockedUntil = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  assertOpen(apiId: string): void {
    const waitMs = (this.blockedUntil.get(apiId) ?? 0) - this.now();
    if (waitMs > 0) throw new VendorError('rate_limited', 'Aircall rate limit reached for this company; not calling before its reset', { retryAfterMs: waitMs });
  }

  /** A rate_limited error blocks the company and carries the wait, so that the gate holds this queue too. */
  noteFailure(apiId: string, error: unknown): unknown {
    if (!(error instanceof VendorError) || error.kind !== 'rate_limited') return error;
    const waitMs = this.block(apiId, error.retryAfterMs ?? defaultBlockMs);
    return new VendorError('rate_limited', error.message, { status: error.status, retryAfterMs: waitMs, cause: error });
  }

  /** A 2xx that says no call is left: the next one would be a 429, so do not make it. */
  noteSuccess(apiId: string, headers: Headers): void {
    if (headers.get('x-aircallapi-remaining')?.trim() !== '0') return;
    const waitMs = aircallRetryAfterMs(headers, this.now());
    if (waitMs !== undefined) this.block(apiId, waitMs);
  }

  private block(apiId: string, waitMs: number): number {
    const clamped = Math.min(Math.max(waitMs, minBlockMs), maxBlockMs);
    this.blockedUntil.set(apiId, Math.max(this.blockedUntil.get(apiId) ?? 0, this.now() + clamped));
    return clamped;
  }
}

interface AircallCallContext {
  http: HttpClient;
  secret: AircallSecret;
  signal: AbortSignal;
  deadline: number;
  now: () => number;
  limits: AircallCompanyLimits;
}

function aircallGetter({ http, secret, signal, deadline, now, limits }: AircallCallContext): AircallGet {
  const headers = { Authorization: `Basic ${Buffer.from(`${secret.apiId}:${secret.apiToken}`).toString('base64')}`, Accept: 'application/json' };
  const retryAfterFromHeaders = (responseHeaders: Headers) => aircallRetryAfterMs(responseHeaders, now());
  return async (url, schema) => {
    limits.assertOpen(secret.apiId);
    if (now() >= deadline) throw new VendorError('timeout', 'the time budget ran out between Aircall calls');
    try {
      // 401 = no credentials, 403 = wrong or rotated ones [2nd]: the HTTP client maps both to auth.
      const response = await http.requestJson({ url, headers, signal, retryAfterFromHeaders }, schema);
      limits.noteSuccess(secret.apiId, response.headers);
      return response.body;
    } catch (error) {
      throw limits.noteFailure(secret.apiId, error);
    }
  };
}

export function createAircallAdapter({ http, now = Date.now }: AdapterDeps): VendorAdapter<AircallQueue, AircallSecret> {
  const teams = new AircallTeamCache(now);
  const limits = new AircallCompanyLimits(now);
  return {
    vendor: 'aircall',
    secretSchema: aircallSecretSchema,
    async check({ queue, secret, signal, deadline }) {
      const baseUrl = queue.baseUrl ?? aircallDefaultBaseUrl;
      const get = aircallGetter({ http, secret, signal, deadline, now, limits });
      const teamId = queue.teamId;
      const members =
        teamId === undefined
          ? [...new Set(queue.userIds)]
          : await teams.members(`${baseUrl} ${secret.apiId} ${teamId}`, () => readAircallTeamMembers(get, baseUrl, teamId));
      // An empty team is a real "nobody", not a failure, and costs no availability call.
      const statuses = members.length ? await readAircallMemberStatuses(get, baseUrl, members) : new Map<string, string>();
      return toAircallAvailability(members, statuses);
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
} as const satisfies import('./vendor-module').VendorModule;
