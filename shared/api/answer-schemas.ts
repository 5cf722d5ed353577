/**
 * The answers the API gives, as zod schemas: the source of openapi.json's response schemas
 * (gate-contract.md sections 3, 7, 8 and 9). A test validates live answers against them.
 */
import * as z from 'zod';
import { vendorErrorKinds } from '../errors';
import { vendorModuleList } from '../vendors/registry';

const count = z.number().int().nonnegative();
const instant = z.string().describe('ISO-8601 UTC instant');

/** Every extra answer field a registered vendor declares (its module's answerExtras), optional. */
function vendorExtras(): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const module of vendorModuleList) {
    for (const [name, schema] of Object.entries(module.answerExtras)) shape[name] = schema.optional().describe(`${module.name} only`);
  }
  return shape;
}

export const availabilityAnswerSchema = z
  .object({
    queue: z.string(),
    canTransfer: z.boolean(),
    reason: z
      .string()
      .describe('agents_available | not_enough_agents | vendor_error | closed; treat any other value as "no"')
      .meta({ examples: ['agents_available', 'not_enough_agents', 'vendor_error', 'closed'] }),
    availableAgents: count.nullable().describe('null when the vendor could not be read, or the queue is closed'),
    minAvailable: z.number().int().min(1),
    vendor: z.string(),
    source: z.enum(['live', 'cache', 'stale']),
    checkedAt: instant,
    ageMs: count,
    busyAgents: count.optional(),
    awayAgents: count.optional(),
    offlineAgents: count.optional(),
    totalAgents: count.optional(),
    ...vendorExtras(),
    vendorError: z.enum(vendorErrorKinds).optional(),
    heldAgents: count.optional().describe('agents held for other calls (queues with holdMs > 0)'),
    hold: z.object({ callerId: z.string(), expiresAt: instant }).optional().describe('the hold this "yes" placed'),
    closedBy: z.enum(['schedule', 'override']).optional(),
    opensAt: instant.nullable().optional(),
    closesAt: instant.nullable().optional(),
  })
  .meta({ id: 'Availability' });

export const errorAnswerSchema = z
  .object({
    error: z.string().describe('unauthorized | queue_not_found | invalid_request | forbidden | not_found | hold_not_found | override_not_found | internal_error | rate_limited'),
    message: z.string(),
  })
  .meta({ id: 'Error' });

export const healthAnswerSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const textAnswerSchema = z.string().describe('`true` or `false` (format=text), or a count (format=count)');
