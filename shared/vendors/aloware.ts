/**
 * Aloware: ring group (inbox) availability (docs/operators/vendors/aloware.md).
 * The API token travels in the query string, so the URL is never logged or put in an error.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { described, numericId, queueBaseShape, vendorBaseUrl } from '../config/fields';
import { vendorEndpoint } from './http-client';
import { vendorCount } from './counts';
import type { AdapterDeps, Availability, VendorAdapter } from './port';
import type { VendorModule } from './vendor-module';

export const alowareDefaultBaseUrl = 'https://app.aloware.com';

export const alowareQueueSchema = z.strictObject({
  ...queueBaseShape,
  vendor: described(z.literal('aloware'), 'The platform this queue lives in: Aloware (a ring group, or inbox).'),
  ringGroupId: described(numericId, 'The Aloware ring group (inbox) id; a number or a string of digits.'),
  baseUrl: vendorBaseUrl(alowareDefaultBaseUrl),
});
export type AlowareQueue = z.output<typeof alowareQueueSchema>;

export const alowareSecretSchema = z.object({ apiToken: z.string().check(z.minLength(1)) });
export type AlowareSecret = z.output<typeof alowareSecretSchema>;

// Minimal and tolerant: only the fields the mapping reads. Names and e-mails are not parsed.
const alowareTestResultSchema = z.object({
  failed_to_route: z.optional(z.boolean()),
  reasons: z.optional(z.record(z.string(), z.unknown())),
});
export const alowareAvailabilityBodySchema = z
  .object({
    test_results: z.optional(z.array(alowareTestResultSchema)),
    available_users_count: z.optional(vendorCount),
    total_users_count: z.optional(vendorCount),
  })
  .check(
    z.refine((body) => body.available_users_count !== undefined || body.test_results !== undefined, {
      message: 'needs available_users_count or test_results',
    }),
  );
export type AlowareAvailabilityBody = z.output<typeof alowareAvailabilityBodySchema>;

/**
 * The nine documented routing checks (docs/operators/vendors/aloware.md). Reason names are vendor
 * text: only these reach an answer; any other failed check is counted under `other`.
 */
export const alowareReasonList = [
  'is_active',
  'takes_task_from_area_code',
  'takes_task_in_state',
  'takes_task_in_operating_hours',
  'takes_call_within_concurrency_limit',
  'takes_call_within_quota_limit',
  'takes_call_within_duplication_period_limit',
  'agent_answers_call',
  'agent_accepts_call',
] as const;
export const alowareReasonNames: ReadonlySet<string> = new Set(alowareReasonList);
export const alowareOtherReason = 'other';

export function toAlowareAvailability(body: AlowareAvailabilityBody): Availability {
  const results = body.test_results;
  const availability: Availability = {
    // The vendor's own count wins; otherwise an agent is routable when failed_to_route is false.
    available: body.available_users_count ?? results!.filter((result) => result.failed_to_route === false).length,
  };
  const total = body.total_users_count ?? results?.length;
  if (total !== undefined) availability.total = total;
  if (results) availability.extras = { unroutableReasons: countFailedReasons(results) };
  return availability;
}

/** How many agents failed each routing check: the "why not" only Aloware explains. */
function countFailedReasons(results: ReadonlyArray<z.output<typeof alowareTestResultSchema>>): Record<string, number> {
  // No prototype: a name such as "constructor" must never read an inherited member.
  const counts: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const result of results) {
    for (const [name, passed] of Object.entries(result.reasons ?? {})) {
      if (passed !== false) continue;
      const key = alowareReasonNames.has(name) ? name : alowareOtherReason;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}

export function createAlowareAdapter({ http }: AdapterDeps): VendorAdapter<AlowareQueue, AlowareSecret> {
  return {
    vendor: 'aloware',
    secretSchema: alowareSecretSchema,
    async check({ queue, secret, signal, http: client = http }) {
      const url = vendorEndpoint(queue.baseUrl ?? alowareDefaultBaseUrl, '/api/v1/webhook/ring-group/availability', {
        api_token: secret.apiToken,
        ring_group_id: queue.ringGroupId,
      });
      const response = await client.requestJson({ url, headers: { Accept: 'application/json' }, signal }, alowareAvailabilityBodySchema);
      return toAlowareAvailability(response.body);
    },
  };
}

/** This vendor's registration (vendor-module.ts; listed in registry.ts). */
export const alowareVendor = {
  name: 'aloware',
  queueSchema: alowareQueueSchema,
  secretSchema: alowareSecretSchema,
  createAdapter: createAlowareAdapter,
  defaults: {},
  answerExtras: {
    unroutableReasons: z.record(z.string(), z.number().check(z.int(), z.nonnegative())).check(z.describe('How many agents failed each routing check')),
  },
} as const satisfies VendorModule;
