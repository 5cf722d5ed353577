/**
 * CallTools: agent statuses (docs/operators/vendors/calltools.md). The full schema lives only in
 * each account's in-app Swagger; public callers show Django REST framework pages whose rows carry
 * `app_user` (a UUID), `full_name` and an integer `agent_status`. The gate only counts the rows.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { described, exactlyOneOf, numericId, queueBaseShape, vendorBaseUrl, withRules } from '../config/fields';
import { vendorEndpoint } from './http-client';
import { vendorCount } from './counts';
import type { AdapterDeps, Availability, VendorAdapter } from './port';
import type { VendorModule } from './vendor-module';

export const calltoolsQueueSchema = withRules(
  z.strictObject({
    ...queueBaseShape,
    vendor: described(z.literal('calltools'), 'The platform this queue lives in: CallTools (agent statuses of a queue).'),
    // The subdomain of the customer's login URL; no closed list exists, so only its shape is checked.
    silo: z.optional(
      described(
        z.string().check(z.regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a subdomain such as east-2')),
        'The subdomain of your login URL (east-2 for https://east-2.calltools.io); exactly one of silo, baseUrl.',
      ),
    ),
    baseUrl: vendorBaseUrl(undefined, 'A full base URL instead of a silo (exactly one of silo, baseUrl)'),
    queueId: described(numericId, 'The Contact Center queue id.'),
    availableStatusId: z.optional(described(numericId, 'The id of your "Available" agent status, so that only agents in it count (recommended).')),
  }),
  [exactlyOneOf(['silo', 'baseUrl'])],
);
export type CalltoolsQueue = z.output<typeof calltoolsQueueSchema>;

export const calltoolsSecretSchema = z.object({ apiKey: z.string().check(z.minLength(1)) });
export type CalltoolsSecret = z.output<typeof calltoolsSecretSchema>;

// A row is an object; its fields (`full_name` is personal data) are neither parsed nor kept.
const calltoolsAgentRow = z.object({});
// Django REST framework pagination, or a bare array.
export const calltoolsAgentStatusesBodySchema = z.union([
  z
    .object({ count: z.optional(vendorCount), results: z.optional(z.array(calltoolsAgentRow)) })
    .check(z.refine((body) => body.count !== undefined || body.results !== undefined, { message: 'needs count or results' })),
  z.array(calltoolsAgentRow),
]);
export type CalltoolsAgentStatusesBody = z.output<typeof calltoolsAgentStatusesBodySchema>;

export function toCalltoolsAvailability(body: CalltoolsAgentStatusesBody): Availability {
  if (Array.isArray(body)) return { available: body.length };
  // `count` is the total across pages, so one page is enough.
  return { available: body.count ?? body.results!.length };
}

export function calltoolsBaseUrl(queue: CalltoolsQueue): string {
  return queue.baseUrl ?? `https://${queue.silo}.calltools.io`;
}

export function createCalltoolsAdapter({ http }: AdapterDeps): VendorAdapter<CalltoolsQueue, CalltoolsSecret> {
  return {
    vendor: 'calltools',
    secretSchema: calltoolsSecretSchema,
    async check({ queue, secret, signal, http: client = http }) {
      const url = vendorEndpoint(calltoolsBaseUrl(queue), '/api/agentstatuses/', {
        queue: queue.queueId,
        agent_status_id: queue.availableStatusId,
        ready: 'true',
      });
      const headers = { Authorization: `Token ${secret.apiKey}`, Accept: 'application/json' };
      const response = await client.requestJson({ url, headers, signal }, calltoolsAgentStatusesBodySchema);
      return toCalltoolsAvailability(response.body);
    },
  };
}

/** This vendor's registration (vendor-module.ts; listed in registry.ts). */
export const calltoolsVendor = {
  name: 'calltools',
  queueSchema: calltoolsQueueSchema,
  secretSchema: calltoolsSecretSchema,
  createAdapter: createCalltoolsAdapter,
  defaults: {},
  answerExtras: {},
} as const satisfies VendorModule;
