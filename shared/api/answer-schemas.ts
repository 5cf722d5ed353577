/**
 * The answers the API gives, as zod schemas: the source of openapi.json's response schemas
 * (gate-contract.md sections 3, 7, 8 and 9). A test validates live answers against them.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { vendorErrorKinds } from '../errors';
import { vendorModuleList } from '../vendors/registry';

const count = z.number().check(z.int(), z.nonnegative());
const instant = z.string().check(z.describe('ISO-8601 UTC instant'));

/** Every extra answer field a registered vendor declares (its module's answerExtras), optional. */
function vendorExtras(): Record<string, z.ZodMiniType> {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const module of vendorModuleList) {
    for (const [name, schema] of Object.entries(module.answerExtras)) shape[name] = z.optional(schema).check(z.describe(`${module.name} only`));
  }
  return shape;
}

export const availabilityAnswerSchema = z
  .object({
    queue: z.string(),
    canTransfer: z.boolean(),
    reason: z
      .string()
      .check(z.describe('agents_available | not_enough_agents | vendor_error | closed | state_unavailable; treat any other value as "no"'))
      .check(z.meta({ examples: ['agents_available', 'not_enough_agents', 'vendor_error', 'closed', 'state_unavailable'] })),
    availableAgents: z.nullable(count).check(z.describe('null when the vendor could not be read, or the queue is closed')),
    minAvailable: z.number().check(z.int(), z.minimum(1)),
    vendor: z.string(),
    source: z.enum(['live', 'cache', 'stale']),
    checkedAt: instant,
    ageMs: count,
    busyAgents: z.optional(count),
    awayAgents: z.optional(count),
    offlineAgents: z.optional(count),
    totalAgents: z.optional(count),
    ...vendorExtras(),
    vendorError: z.optional(z.enum(vendorErrorKinds)),
    heldAgents: z.optional(z.nullable(count)).check(z.describe('agents held for other calls (queues with holdMs > 0); null when the state store could not count them')),
    hold: z.optional(z.object({ callerId: z.string(), expiresAt: instant })).check(z.describe('the hold this "yes" placed')),
    stateUnavailable: z.optional(z.literal(true)).check(z.describe('the state store could not count or place holds for this answer: no hold was placed (onStoreError allow, or a request that needed no hold)')),
    closedBy: z.optional(z.enum(['schedule', 'override'])),
    opensAt: z.optional(z.nullable(instant)),
    closesAt: z.optional(z.nullable(instant)),
  })
  .check(z.meta({ id: 'Availability' }));

export const errorAnswerSchema = z
  .object({
    error: z.string().check(z.describe('unauthorized | queue_not_found | invalid_request | forbidden | not_found | hold_not_found | override_not_found | internal_error | rate_limited | state_unavailable')),
    message: z.string(),
  })
  .check(z.meta({ id: 'Error' }));

export const healthAnswerSchema = z.object({ status: z.literal('ok') }).check(z.meta({ id: 'Health' }));

export const textAnswerSchema = z.string().check(z.describe('`true` or `false` (format=text), or a count (format=count)'));
