/**
 * The answer of GET /v1/status (docs/on-call/console.md):
 * every queue and route an admin may see, from what the state store holds now. The source of its schema in
 * openapi.json; a test validates live answers against it.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { routePicks } from '../config/routes';
import { vendorErrorKinds } from '../errors';
import { overrideAnswerSchema } from './override-api';

const count = z.number().check(z.int(), z.nonnegative());
const instant = z.string().check(z.describe('ISO-8601 UTC instant'));

export const statusHoldSchema = z
  .object({ queue: z.string(), seller: z.string().check(z.describe('the caller that placed it')), callerId: z.string(), expiresAt: instant })
  .check(z.meta({ id: 'StatusHold' }));

const readingSchema = z.object({
  availableAgents: z
    .nullable(count)
    .check(z.describe('null for a queue answered from a shared read (Aircall): its own count needs the team, which only a check reads')),
  busyAgents: z.optional(count),
  totalAgents: z.optional(count),
  checkedAt: instant,
  ageMs: count,
  sharedRead: z.optional(z.string().check(z.describe('the shared read key this queue answers from'))),
});

const failureSchema = z.object({
  vendorError: z.enum(vendorErrorKinds),
  at: instant,
  streak: count.check(z.describe('failed reads in a row')),
  retryAt: instant.check(z.describe('no vendor call before this instant (backoff)')),
});

export const queueStatusSchema = z
  .object({
    queue: z.string(),
    vendor: z.string(),
    minAvailable: count,
    holdMs: count,
    open: z.boolean(),
    closedBy: z.nullable(z.enum(['schedule', 'override'])),
    opensAt: z.nullable(instant),
    closesAt: z.nullable(instant),
    override: z.nullable(overrideAnswerSchema),
    answer: z
      .nullable(z.object({ canTransfer: z.boolean(), reason: z.string() }))
      .check(
        z.describe(
          'what a caller without a hold would hear from the stored data (a reading older than cacheTtlMs is read again first); null: nothing stored yet',
        ),
      ),
    reading: z.nullable(readingSchema).check(z.describe('the last good vendor reading')),
    failure: z.nullable(failureSchema).check(z.describe('the last failed read, when it is newer than the last good one')),
    holds: z.object({ count, bySeller: z.record(z.string(), count), list: z.array(statusHoldSchema) }),
  })
  .check(z.meta({ id: 'QueueStatus' }));

export const sellerStatusSchema = z
  .object({
    seller: z.string(),
    holdsStanding: count.check(z.describe('over the queues this admin may see')),
    transfersThisHour: z
      .nullable(count)
      .check(
        z.describe(
          'transfers (holds placed) this UTC clock hour, over all queues; null: the seller has no transfersPerHour limit, and nothing is counted without one',
        ),
      ),
    transfersToday: z
      .nullable(count)
      .check(
        z.describe(
          'transfers (holds placed) this UTC calendar day, over all queues; null: the seller has no transfersPerDay limit, and nothing is counted without one',
        ),
      ),
  })
  .check(z.meta({ id: 'SellerStatus' }));

export const routeStatusSchema = z
  .object({
    route: z.string(),
    queues: z.array(z.string()).check(z.describe('members, in list order')),
    pick: z.enum(routePicks),
    deadlineMs: count,
    membersAvailable: count.check(z.describe('members listed here whose stored answer says yes now (no vendor call)')),
  })
  .check(z.meta({ id: 'RouteStatus' }));

export const statusAnswerSchema = z
  .object({
    generatedAt: instant,
    queues: z.array(queueStatusSchema),
    sellers: z.array(sellerStatusSchema),
    routes: z.array(routeStatusSchema).check(z.describe('the routes this admin may see (docs/callers/routes-and-destinations.md)')),
  })
  .check(z.meta({ id: 'Status' }));

export type QueueStatus = z.output<typeof queueStatusSchema>;
export type SellerStatus = z.output<typeof sellerStatusSchema>;
export type StatusAnswer = z.output<typeof statusAnswerSchema>;
export type StatusHold = z.output<typeof statusHoldSchema>;
export type RouteStatus = z.output<typeof routeStatusSchema>;
