/**
 * The queue policy fields about the call rather than the queue (docs/operators/limits.md):
 * transfer limits, duplicate windows and geography. Base layer: every vendor's queue schema
 * carries them through the policy shape (fields.ts).
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { usStateCodes } from '../geo/us-states';
import { described } from './object-rules';

const count = z.number().check(z.int(), z.minimum(1));

/** Transfers (holds placed) into this queue from all sellers together, per UTC hour / UTC day. */
export const queueLimitsSchema = z.strictObject({
  transfersPerHour: z.optional(described(count, 'Transfers (holds placed) into this queue from all sellers together per UTC clock hour (at least 1).')),
  transfersPerDay: z.optional(described(count, 'Transfers (holds placed) into this queue from all sellers together per UTC calendar day (at least 1).')),
});

/** A callerId transferred within `windowHours` (on this queue, or on every queue with scope `all`) is refused. */
export const duplicatesSchema = z.strictObject({
  windowHours: described(
    z.number().check(z.int(), z.minimum(1), z.maximum(2160)),
    'A callerId transferred (a hold placed for it) within this many hours is refused as duplicate_caller (1 to 2160).',
  ),
  scope: z._default(
    described(
      z.enum(['queue', 'all'], 'scope must be queue or all'),
      'queue: transfers into this queue only; all: into every queue whose duplicates also have scope all (default queue).',
    ),
    'queue',
  ),
});

/** Only calls from these states; `onUnknown` when the state cannot be told. */
export const geoSchema = z.strictObject({
  states: described(
    z.array(z.enum(usStateCodes, 'must be the USPS code of a US state, DC or PR, in capitals')).check(z.minLength(1, 'name at least one state')),
    'The US states (USPS codes, capitals; DC and PR allowed) whose calls may be transferred.',
  ),
  onUnknown: z._default(
    described(
      z.enum(['deny', 'allow'], 'onUnknown must be deny or allow'),
      "When the call's state cannot be told: deny (reason outside_area) or allow (default deny).",
    ),
    'deny',
  ),
});

export type QueueLimits = z.output<typeof queueLimitsSchema>;
export type Duplicates = z.output<typeof duplicatesSchema>;
export type Geo = z.output<typeof geoSchema>;

/** The policy fields that count transfers: they need holds (holdMs > 0). */
export const holdOnlyPolicyFields = ['limits', 'duplicates'] as const;

export const callPolicyShape = {
  limits: z.optional(
    described(
      queueLimitsSchema,
      'Transfers into this queue from all sellers together, per UTC hour and day; beyond them reason queue_limit. Needs holdMs > 0 (in defaults: applies to queues with holds).',
    ),
  ),
  duplicates: z.optional(
    described(
      duplicatesSchema,
      'Refuse a callerId transferred within a window (reason duplicate_caller). Needs holdMs > 0 (in defaults: applies to queues with holds).',
    ),
  ),
  geo: z.optional(
    described(geoSchema, "Only calls from these US states (the request's state, else the callerId's area code); others get reason outside_area."),
  ),
};
