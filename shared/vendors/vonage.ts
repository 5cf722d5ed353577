/**
 * Vonage Contact Center (formerly NewVoiceMedia): agents availability (docs/operators/vendors/vonage.md).
 * An OAuth2 client-credentials token (vonage-token.ts) is cached per credentials; a 401 from the API
 * refreshes it once and retries once, inside the same time budget.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { anyGroupOf, atLeastOneOf, described, guid, notTogether, queueBaseShape, vendorBaseUrl, withRules } from '../config/fields';
import { VendorError } from '../errors';
import { type HttpClient, vendorEndpoint } from './http-client';
import { isSafeCountSum, vendorCount } from './counts';
import type { AdapterDeps, Availability, VendorAdapter } from './port';
import { type VonageCredentials, VonageTokenCache } from './vonage-token';
import type { VendorModule } from './vendor-module';

export const vonageRegions = ['emea', 'nam', 'apac'] as const;

export const vonageQueueSchema = withRules(
  z.strictObject({
    ...queueBaseShape,
    vendor: described(z.literal('vonage'), 'The platform this queue lives in: Vonage Contact Center (formerly NewVoiceMedia).'),
    region: z.optional(
      described(
        z.enum(vonageRegions),
        'The region: https://{region}.api.newvoicemedia.com and https://{region}.newvoicemedia.com. Needed unless baseUrl and authUrl are both given.',
      ),
    ),
    baseUrl: vendorBaseUrl(undefined, "The API host instead of the region's, e.g. https://emea.api.cc.vonage.com (with authUrl)"),
    authUrl: vendorBaseUrl(undefined, "The token host instead of the region's, e.g. https://emea.cc.vonage.com (with baseUrl)"),
    queueGuids: z.optional(described(z.array(guid).check(z.minLength(1)), 'VCC queue GUIDs whose agents count (never together with groupGuids).')),
    groupGuids: z.optional(described(z.array(guid).check(z.minLength(1)), 'Agent group GUIDs whose agents count (never together with queueGuids).')),
    skillGuids: z.optional(described(z.array(guid).check(z.minLength(1)), 'Skill GUIDs whose agents count.')),
    liveness: z.optional(
      described(z.enum(['live', 'semilive', 'nonlive']), 'Only agents on interactions of this liveness (live, semilive or nonlive); none: any.'),
    ),
  }),
  [
    // Without a filter the vendor counts every agent of the account as this one queue.
    atLeastOneOf(['queueGuids', 'groupGuids', 'skillGuids']),
    // The vendor rejects groupGuids and queueGuids together (docs/operators/vendors/vonage.md).
    notTogether(['queueGuids', 'groupGuids'], 'queueGuids and groupGuids must not be used together'),
    anyGroupOf([['region'], ['baseUrl', 'authUrl']], { path: ['region'], message: 'give region, or both baseUrl and authUrl' }),
  ],
);
export type VonageQueue = z.output<typeof vonageQueueSchema>;

export const vonageSecretSchema = z.object({ clientId: z.string().check(z.minLength(1)), clientSecret: z.string().check(z.minLength(1)) });
export type VonageSecret = z.output<typeof vonageSecretSchema>;

/** Required on /agents-availability [doc]; the answer may carry it as its content type too. */
export const vonageMediaType = 'application/vnd.newvoicemedia.v1+json';

const count = vendorCount;
// Minimal and tolerant: `available` is all the gate needs; other presences only add to the total.
// A presence that is a number must be a count, and every sum the mapping makes must stay safe.
export const vonageAvailabilityBodySchema = z
  .object({
    availabilitySummary: z.object({ available: count, insufficientCapacity: z.optional(count) }),
    presenceSummary: z.optional(z.looseObject({ Away: z.optional(count), ExtendedAway: z.optional(count), LoggedOut: z.optional(count) })),
  })
  .check(
    z.refine((body) => isSafeCountSum(presenceCounts(body.presenceSummary)), {
      message: 'presence counts must be non-negative safe integers with a safe total',
      path: ['presenceSummary'],
    }),
  );
export type VonageAvailabilityBody = z.output<typeof vonageAvailabilityBodySchema>;

/** The numeric presences (unknown presences included); non-numbers are ignored as new fields. */
function presenceCounts(presence: Record<string, unknown> | undefined): number[] {
  return Object.values(presence ?? {}).filter((value): value is number => typeof value === 'number');
}

export function toVonageAvailability(body: VonageAvailabilityBody): Availability {
  // Not presenceSummary.Ready: a Ready agent may have no free capacity [doc].
  const availability: Availability = { available: body.availabilitySummary.available };
  const busy = body.availabilitySummary.insufficientCapacity;
  if (busy !== undefined) availability.busy = busy;
  const presence = body.presenceSummary;
  if (!presence) return availability;
  // Safe sums: the schema refused any body whose presence total is not a safe integer.
  if (presence.Away !== undefined || presence.ExtendedAway !== undefined) availability.away = (presence.Away ?? 0) + (presence.ExtendedAway ?? 0);
  if (presence.LoggedOut !== undefined) availability.offline = presence.LoggedOut;
  const counts = presenceCounts(presence);
  if (counts.length > 0) availability.total = counts.reduce((sum, value) => sum + value, 0);
  return availability;
}

export function vonageBaseUrl(queue: VonageQueue): string {
  return queue.baseUrl ?? `https://${queue.region}.api.newvoicemedia.com`;
}

export function vonageAuthUrl(queue: VonageQueue): string {
  return queue.authUrl ?? `https://${queue.region}.newvoicemedia.com`;
}

/** Only the filters the queue names (an empty or absent list is not sent). */
export function vonageAvailabilityQuery(queue: VonageQueue): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const field of ['queueGuids', 'groupGuids', 'skillGuids', 'liveness'] as const) {
    if (queue[field] !== undefined) query[field] = queue[field];
  }
  return query;
}

async function readVonageAvailability(http: HttpClient, queue: VonageQueue, accessToken: string, signal: AbortSignal): Promise<Availability> {
  const url = vendorEndpoint(vonageBaseUrl(queue), '/agents-availability');
  const headers = { Accept: vonageMediaType, Authorization: `Bearer ${accessToken}` };
  const response = await http.requestJson({ url, method: 'POST', headers, json: vonageAvailabilityQuery(queue), signal }, vonageAvailabilityBodySchema);
  return toVonageAvailability(response.body);
}

export function createVonageAdapter({ http, now = Date.now }: AdapterDeps): VendorAdapter<VonageQueue, VonageSecret> {
  const tokens = new VonageTokenCache(http, now);
  return {
    vendor: 'vonage',
    secretSchema: vonageSecretSchema,
    async check({ queue, secret, signal, http: client = http }) {
      const credentials: VonageCredentials = { authUrl: vonageAuthUrl(queue), clientId: secret.clientId, clientSecret: secret.clientSecret };
      const accessToken = await tokens.get(credentials, signal, client);
      try {
        return await readVonageAvailability(client, queue, accessToken, signal);
      } catch (error) {
        // 401: the token expired early or was revoked. One new token, one retry; a second 401 stays `auth`.
        if (!(error instanceof VendorError) || error.status !== 401) throw error;
        tokens.invalidate(credentials, accessToken);
        return readVonageAvailability(client, queue, await tokens.get(credentials, signal, client), signal);
      }
    },
  };
}

/** This vendor's registration (vendor-module.ts; listed in registry.ts). */
export const vonageVendor = {
  name: 'vonage',
  queueSchema: vonageQueueSchema,
  secretSchema: vonageSecretSchema,
  createAdapter: createVonageAdapter,
  defaults: {},
  answerExtras: {},
} as const satisfies VendorModule;
