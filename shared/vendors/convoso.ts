/**
 * Convoso: user activity, agents available (docs/operators/vendors/convoso.md).
 * The API token travels in the query string (`auth_token`), so the URL is never logged or put in
 * an error. Application errors come as HTTP 200 with `success: false` and a numeric `code`.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { described, atLeastOneOf, numericId, queueBaseShape, vendorOrigin, withRules } from '../config/fields';
import { VendorError, type VendorErrorKind } from '../errors';
import { vendorEndpoint } from './http-client';
import { vendorCount } from './counts';
import type { AdapterDeps, Availability, VendorAdapter } from './port';
import type { VendorModule } from './vendor-module';

export const convosoDefaultBaseUrl = 'https://api.convoso.com';

// Skills travel comma-separated in one parameter: a name with a comma would become two skills.
const convosoSkill = z.string().check(z.trim(), z.minLength(1), z.maxLength(100), z.regex(/^[^,]*$/, 'must not contain a comma'));

export const convosoQueueSchema = withRules(
  z.strictObject({
    ...queueBaseShape,
    vendor: described(z.literal('convoso'), 'The platform this queue lives in: Convoso (an inbound queue or a campaign).'),
    queueId: z.optional(described(numericId, 'The Convoso inbound queue id; a number or a string of digits.')),
    campaignId: z.optional(described(numericId, 'The Convoso campaign id; a number or a string of digits.')),
    skills: z.optional(
      described(z.array(convosoSkill).check(z.minLength(1), z.maxLength(50)), 'Only agents with these skill names count (no commas in a name).'),
    ),
    baseUrl: z.optional(vendorOrigin),
  }),
  // Without a queue or campaign Convoso answers for the whole account.
  [atLeastOneOf(['queueId', 'campaignId'])],
);
export type ConvosoQueue = z.output<typeof convosoQueueSchema>;

export const convosoSecretSchema = z.object({ authToken: z.string().check(z.minLength(1)) });
export type ConvosoSecret = z.output<typeof convosoSecretSchema>;

// `message` / `error` are vendor text: not parsed, never passed on.
export const convosoUserActivityBodySchema = z.object({
  success: z.boolean(),
  code: z.optional(z.union([z.number(), z.string()])),
  data: z.optional(z.object({ available_agents: z.optional(vendorCount), logged_in_agents: z.optional(vendorCount) })),
});
export type ConvosoUserActivityBody = z.output<typeof convosoUserActivityBodySchema>;

/** `success: false` codes by kind (convoso.md); any other code is `server`. */
const convosoErrorKinds = new Map<number, VendorErrorKind>([
  [6041, 'not_found'], // Invalid queue ID
  [6004, 'not_found'], // Unknown or invalid ID
  [6026, 'not_found'], // Invalid campaign ID
  [4001, 'bad_request'], // Missing required field
  [4002, 'bad_request'],
  [6023, 'bad_request'],
]);

export function toConvosoAvailability(body: ConvosoUserActivityBody): Availability {
  if (!body.success) {
    const code = Number(body.code);
    const kind = convosoErrorKinds.get(code) ?? 'server';
    // Only a numeric code is told, never Convoso's message.
    throw new VendorError(kind, `Convoso answered success: false${Number.isSafeInteger(code) ? ` (code ${code})` : ''}`, { status: 200 });
  }
  const available = body.data?.available_agents;
  if (available === undefined) throw new VendorError('bad_payload', 'Convoso answered success without data.available_agents', { status: 200 });
  const total = body.data?.logged_in_agents;
  return total === undefined ? { available } : { available, total };
}

export function convosoUserActivityUrl(queue: ConvosoQueue, secret: ConvosoSecret): URL {
  return vendorEndpoint(queue.baseUrl ?? convosoDefaultBaseUrl, '/v1/user-activity/search', {
    auth_token: secret.authToken,
    queue_id: queue.queueId,
    campaign_id: queue.campaignId,
    filter_by_skill_options: queue.skills?.join(','),
  });
}

export function createConvosoAdapter({ http }: AdapterDeps): VendorAdapter<ConvosoQueue, ConvosoSecret> {
  return {
    vendor: 'convoso',
    secretSchema: convosoSecretSchema,
    async check({ queue, secret, signal, http: client = http }) {
      // 401 (missing or invalid token) and 403 (token not valid for the office) are auth; 429 honours Retry-After.
      const request = { url: convosoUserActivityUrl(queue, secret), headers: { Accept: 'application/json' }, signal };
      const response = await client.requestJson(request, convosoUserActivityBodySchema);
      return toConvosoAvailability(response.body);
    },
  };
}

/** This vendor's registration (vendor-module.ts; listed in registry.ts). */
export const convosoVendor = {
  name: 'convoso',
  queueSchema: convosoQueueSchema,
  secretSchema: convosoSecretSchema,
  createAdapter: createConvosoAdapter,
  defaults: { callsPerMinute: 60 },
  answerExtras: {},
} as const satisfies VendorModule;
