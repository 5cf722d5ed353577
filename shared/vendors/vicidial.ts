/**
 * VICIdial: the non-agent API's `in_group_status` (docs/operators/vendors/vicidial.md), on the
 * customer's own server. User and password travel in the query string, so the URL is never
 * logged or put in an error, and `baseUrl` must be https:// (http:// only on loopback). The answer
 * is text: a CSV header plus one line on success, an `ERROR:` line (HTTP 200) otherwise.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { described, queueBaseShape, vendorOrigin } from '../config/fields';
import { VendorError, type VendorErrorKind } from '../errors';
import { vendorEndpoint } from './http-client';
import { isSafeCountSum } from './counts';
import type { AdapterDeps, Availability, VendorAdapter } from './port';
import type { VendorModule } from './vendor-module';

/** The dialer's server is often small and shared with live calls: answers are reused at least this long. */
export const vicidialMinCacheTtlMs = 2000;
/** Sent as `source` (required, at most 20 characters). */
export const vicidialSource = 'transfergate';

export const vicidialQueueSchema = z.strictObject({
  ...queueBaseShape,
  vendor: described(z.literal('vicidial'), "The platform this queue lives in: VICIdial (an in-group on the customer's own server)."),
  baseUrl: vendorOrigin,
  // One in-group per queue: a pipe list would sum groups, perhaps counting an agent twice.
  inGroup: described(
    z.string().check(z.regex(/^[A-Za-z0-9_-]{1,20}$/, 'must be one in-group id such as SALESLINE (letters, digits, _ and -, at most 20)')),
    'The VICIdial in-group id, such as SALESLINE.',
  ),
  cacheTtlMs: z.optional(
    described(
      z.number().check(z.int(), z.minimum(vicidialMinCacheTtlMs, `must be at least ${vicidialMinCacheTtlMs} for a VICIdial queue`), z.maximum(600_000)),
      `How long a vendor answer is reused, in ms (${vicidialMinCacheTtlMs} to 600000 for VICIdial; default 3000).`,
    ),
  ),
});
export type VicidialQueue = z.output<typeof vicidialQueueSchema>;

export const vicidialSecretSchema = z.object({ apiUser: z.string().check(z.minLength(1)), apiPass: z.string().check(z.minLength(1)) });
export type VicidialSecret = z.output<typeof vicidialSecretSchema>;

/** Columns read by header name, never by position: they differ by function and version. */
const countColumns = ['agents_logged_in', 'agents_in_calls', 'agents_waiting', 'agents_paused', 'agents_in_dispo', 'agents_in_dial'] as const;
type VicidialCounts = Record<(typeof countColumns)[number], number>;

/** The `ERROR:` line's kind; its text is vendor-controlled (a bad login may echo the user and password) and never kept. */
function errorKind(line: string): VendorErrorKind {
  if (/PERMISSION|LOGIN|USERNAME/i.test(line)) return 'auth';
  if (/INVALID SEARCH PARAMETERS/i.test(line)) return 'bad_request';
  return 'server';
}

/** Header plus exactly one data line, every needed column a count; anything else is a typed error. */
export function parseVicidialInGroupStatus(text: string): VicidialCounts {
  const trimmed = text.trim();
  if (trimmed.startsWith('ERROR:')) throw new VendorError(errorKind(trimmed), 'VICIdial answered an ERROR line', { status: 200 });
  if (/^</.test(trimmed) || /<html/i.test(trimmed)) throw new VendorError('bad_payload', 'VICIdial answered an HTML page', { status: 200 });
  const lines = trimmed.split(/\r?\n/);
  if (lines.length !== 2) throw new VendorError('bad_payload', `VICIdial answered ${lines.length} lines, not a header and one line`, { status: 200 });
  const header = lines[0]!.split(',').map((name) => name.trim());
  const values = lines[1]!.split(',');
  if (values.length !== header.length) throw new VendorError('bad_payload', 'VICIdial line and header differ in columns', { status: 200 });
  const counts = {} as VicidialCounts;
  for (const column of countColumns) {
    const index = header.indexOf(column);
    const value = index < 0 ? undefined : values[index]!.trim();
    if (value === undefined || !/^\d{1,15}$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw new VendorError('bad_payload', `VICIdial answer lacks a count in column ${column}`, { status: 200 });
    }
    counts[column] = Number(value);
  }
  return counts;
}

/** available = waiting; busy = in calls + in dispo + in dial; away = paused; total = logged in. */
export function toVicidialAvailability(counts: VicidialCounts): Availability {
  const busyParts = [counts.agents_in_calls, counts.agents_in_dispo, counts.agents_in_dial];
  if (!isSafeCountSum(busyParts)) throw new VendorError('bad_payload', 'VICIdial counts add up past a safe integer');
  const busy = busyParts.reduce((sum, part) => sum + part, 0);
  return { available: counts.agents_waiting, busy, away: counts.agents_paused, total: counts.agents_logged_in };
}

export function vicidialInGroupStatusUrl(queue: VicidialQueue, secret: VicidialSecret): URL {
  return vendorEndpoint(queue.baseUrl, '/vicidial/non_agent_api.php', {
    source: vicidialSource,
    user: secret.apiUser,
    pass: secret.apiPass,
    function: 'in_group_status',
    in_groups: queue.inGroup,
    stage: 'csv',
    header: 'YES',
  });
}

export function createVicidialAdapter({ http }: AdapterDeps): VendorAdapter<VicidialQueue, VicidialSecret> {
  return {
    vendor: 'vicidial',
    secretSchema: vicidialSecretSchema,
    async check({ queue, secret, signal, http: client = http }) {
      const response = await client.requestText({ url: vicidialInGroupStatusUrl(queue, secret), headers: { Accept: 'text/plain' }, signal });
      return toVicidialAvailability(parseVicidialInGroupStatus(response.body));
    },
  };
}

/** This vendor's registration (vendor-module.ts; listed in registry.ts). */
export const vicidialVendor = {
  name: 'vicidial',
  queueSchema: vicidialQueueSchema,
  secretSchema: vicidialSecretSchema,
  createAdapter: createVicidialAdapter,
  defaults: { callsPerMinute: 60, minCacheTtlMs: vicidialMinCacheTtlMs },
  answerExtras: {},
  // An in-group id that does not exist probably answers a line of zeros, not an error (vicidial.md).
  checkAdvice: ({ available, total }: { available: number; total?: number }) =>
    available === 0 && total === 0
      ? 'VICIdial reports no agent logged in to this in-group; an in-group id that does not exist answers the same zeros: confirm inGroup'
      : undefined,
} as const satisfies VendorModule;
