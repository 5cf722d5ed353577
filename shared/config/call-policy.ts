/**
 * The queue policy fields about the call rather than the queue (docs/operators/limits.md):
 * transfer limits, duplicate windows and geography. Base layer: every vendor's queue schema
 * carries them through the policy shape (fields.ts).
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { usStateCodes } from '../geo/us-states';

const count = z.number().check(z.int(), z.minimum(1));

/** Transfers (holds placed) into this queue from all sellers together, per UTC hour / UTC day. */
export const queueLimitsSchema = z.strictObject({
  transfersPerHour: z.optional(count),
  transfersPerDay: z.optional(count),
});

/** A callerId transferred within `windowHours` (on this queue, or on every queue with scope `all`) is refused. */
export const duplicatesSchema = z.strictObject({
  windowHours: z.number().check(z.int(), z.minimum(1), z.maximum(2160)),
  scope: z._default(z.enum(['queue', 'all'], 'scope must be queue or all'), 'queue'),
});

/** Only calls from these states; `onUnknown` when the state cannot be told. */
export const geoSchema = z.strictObject({
  states: z.array(z.enum(usStateCodes, 'must be the USPS code of a US state, DC or PR, in capitals')).check(z.minLength(1, 'name at least one state')),
  onUnknown: z._default(z.enum(['deny', 'allow'], 'onUnknown must be deny or allow'), 'deny'),
});

export type QueueLimits = z.output<typeof queueLimitsSchema>;
export type Duplicates = z.output<typeof duplicatesSchema>;
export type Geo = z.output<typeof geoSchema>;

/** The policy fields that count transfers: they need holds (holdMs > 0). */
export const holdOnlyPolicyFields = ['limits', 'duplicates'] as const;

export const callPolicyShape = {
  limits: z.optional(queueLimitsSchema),
  duplicates: z.optional(duplicatesSchema),
  geo: z.optional(geoSchema),
};
