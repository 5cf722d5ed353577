/**
 * The answers the API gives, as zod schemas: the source of openapi.json's response schemas
 * (docs/callers/http-api.md, docs/operators/holds.md and docs/operators/hours-and-overrides.md). A test validates live answers against them.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { payoutSchema, transferTo } from '../config/destinations';
import { vendorErrorKinds } from '../errors';
import { vendorModuleList } from '../vendors/registry';

const count = z.number().check(z.int(), z.nonnegative());

/** Every reason the gate gives today (docs/operators/limits.md for the last four). */
const answerReasons = [
  'agents_available',
  'not_enough_agents',
  'vendor_error',
  'closed',
  'state_unavailable',
  'caller_limit',
  'queue_limit',
  'duplicate_caller',
  'outside_area',
] as const;
const instant = z.string().check(z.describe('ISO-8601 UTC instant'));

/** Every extra answer field a registered vendor declares (its module's answerExtras), optional. */
function vendorExtras(): Record<string, z.ZodMiniType> {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const module of vendorModuleList) {
    for (const [name, schema] of Object.entries(module.answerExtras)) shape[name] = z.optional(schema).check(z.describe(`${module.name} only`));
  }
  return shape;
}

/** A queue's answer; a route's chosen member answers the same fields (routeAnswerSchema). */
const queueAnswerShape = {
  queue: z.string(),
  canTransfer: z.boolean(),
  reason: z
    .string()
    .check(z.describe(`${answerReasons.join(' | ')} | no_queue_available (routes); treat any other value as "no"`))
    .check(z.meta({ examples: [...answerReasons] })),
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
  heldAgents: z
    .optional(z.nullable(count))
    .check(z.describe('agents held for other calls (queues with holdMs > 0); null when the state store could not count them')),
  hold: z.optional(z.object({ callerId: z.string(), expiresAt: instant })).check(z.describe('the hold this "yes" placed')),
  stateUnavailable: z
    .optional(z.literal(true))
    .check(
      z.describe('the state store could not count or place holds for this answer: no hold was placed (onStoreError allow, or a request that needed no hold)'),
    ),
  limit: z.optional(z.enum(['maxHolds', 'transfersPerHour', 'transfersPerDay'])).check(z.describe('caller_limit and queue_limit: the limit that refused')),
  retryAt: z
    .optional(instant)
    .check(z.describe('caller_limit and queue_limit: the start of the next UTC hour or day, or (maxHolds) when the earliest of your standing holds ends')),
  callerState: z
    .optional(z.nullable(z.string()))
    .check(z.describe("on queues with geo: the call's USPS state, from state / X-Caller-State or the callerId's area code; null when it cannot be told")),
  closedBy: z.optional(z.enum(['schedule', 'override'])),
  opensAt: z.optional(z.nullable(instant)),
  closesAt: z.optional(z.nullable(instant)),
  expiresInSeconds: z
    .optional(z.number().check(z.int(), z.minimum(1)))
    .check(z.describe('a yes that placed or re-used a hold: whole seconds until hold.expiresAt, rounded down, at least 1')),
  transferTo: z.optional(transferTo).check(z.describe("a yes only: where to send the call (the seller's own number for this queue, else the queue's)")),
  payout: z.optional(payoutSchema).check(z.describe("a yes only: the payout terms for this queue (the seller's own, else the queue's); reported, not billed")),
};

export const availabilityAnswerSchema = z.object(queueAnswerShape).check(z.meta({ id: 'Availability' }));

/** Every member of a route in list order, with its answer's reason (docs/callers/routes-and-destinations.md). */
const triedSchema = z
  .array(z.object({ queue: z.string(), reason: z.string(), vendorError: z.optional(z.enum(vendorErrorKinds)) }))
  .check(z.describe('every member in list order: its reason, and vendorError where its vendor failed or it was cut off at the deadline (timeout)'));

export const routeAnswerSchema = z
  .union([
    z
      .object({ route: z.string(), ...queueAnswerShape, tried: triedSchema })
      .check(z.describe('a member was chosen: its own answer (queue names it), plus route and tried')),
    z
      .object({ route: z.string(), queue: z.null(), canTransfer: z.literal(false), reason: z.literal('no_queue_available'), tried: triedSchema })
      .check(z.describe('no member said yes')),
  ])
  .check(z.meta({ id: 'RouteAvailability' }));

export const errorAnswerSchema = z
  .object({
    error: z
      .string()
      .check(
        z.describe(
          'unauthorized | queue_not_found | invalid_request | forbidden | not_found | hold_not_found | override_not_found | internal_error | rate_limited | state_unavailable (rate_limited: over pingsPerMinute, with Retry-After)',
        ),
      ),
    message: z.string(),
  })
  .check(z.meta({ id: 'Error' }));

export const healthAnswerSchema = z.object({ status: z.literal('ok') }).check(z.meta({ id: 'Health' }));

export const textAnswerSchema = z.string().check(z.describe('`true` or `false` (format=text), or a count (format=count)'));
