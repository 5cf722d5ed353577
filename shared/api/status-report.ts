/**
 * GET /v1/status, assembled (docs/on-call/console.md): what the state store holds now for every
 * queue an admin may see, and per seller. Never a vendor call: the store reads are the small
 * functions at the top (one per kind of record), and everything below them is pure.
 */
import { type Caller, mayAccess } from '../callers';
import type { GateQueue, GateRoute } from '../config/gate-config';
import { mapWithConcurrency } from '../concurrency';
import { type Decision, type ReadResult, closedDecision, decide, hoursAt } from '../gate';
import { sellerCounterKeys } from '../gate/limit-windows';
import type { Runtime } from '../runtime';
import type { Hold, Override, ReadState } from '../state/store';
import { overrideAnswer } from './override-api';
import type { QueueStatus, RouteStatus, SellerStatus, StatusAnswer, StatusHold } from './status-schema';

/** Queues (three table reads each) and sellers (up to two) read at once, as the scheduled check reads at most 8 queues at once. */
export const statusReadConcurrency = 8;

/** What the store holds for one queue. */
export interface QueueFacts {
  override: Override | undefined;
  state: ReadState;
  holds: Hold[];
  readKey: { key: string; shared: boolean };
}

/**
 * A seller's transfers in the current UTC hour and day, over all queues (docs/operators/limits.md):
 * null for a window the seller has no limit on, since nothing counts transfers without one.
 */
export interface SellerCounters {
  transfersThisHour: number | null;
  transfersToday: number | null;
}

/** The store reads for one queue, at once. Holds are read only on queues that have them. */
export async function readQueueFacts(runtime: Runtime, queue: GateQueue, now: number): Promise<QueueFacts> {
  const readKey = runtime.gate.readKeyOf(queue);
  const [override, state, holds] = await Promise.all([
    runtime.store.getOverride(queue.id, now),
    runtime.store.readState(readKey.key),
    queue.policy.holdMs > 0 ? runtime.store.holds(queue.id, now) : Promise.resolve([]),
  ]);
  return { override, state, holds, readKey };
}

/** The seller's limit counters, from the store (no vendor call); `seller` is undefined for a name not in the callers secret (amazon-connect). */
export async function readSellerCounters(runtime: Runtime, name: string, seller: Caller | undefined, now: number): Promise<SellerCounters> {
  const keys = sellerCounterKeys(name, seller?.limits, now);
  const read = (key: string | undefined) => (key === undefined ? Promise.resolve(null) : runtime.store.readCount(key, now));
  const [transfersThisHour, transfersToday] = await Promise.all([read(keys.transfersPerHour), read(keys.transfersPerDay)]);
  return { transfersThisHour, transfersToday };
}

export async function buildStatus(runtime: Runtime, admin: Caller): Promise<StatusAnswer> {
  const now = runtime.now();
  const queues = [...runtime.config.queues.values()].filter((queue) => mayAccess(admin, queue.id));
  // A few queues at a time: a status poll must not crowd out callers' table calls (each has 200 ms).
  const statuses = await mapWithConcurrency(queues, statusReadConcurrency, async (queue) => queueStatus(queue, await readQueueFacts(runtime, queue, now), now));
  const callers = await runtime.callers();
  const sellerNames = sellersOf(callers, queues, statuses);
  const sellers = await mapWithConcurrency(sellerNames, statusReadConcurrency, async (name) =>
    sellerStatus(
      name,
      statuses,
      await readSellerCounters(
        runtime,
        name,
        callers.find((caller) => caller.name === name),
        now,
      ),
    ),
  );
  const routes = [...runtime.config.routes.values()].filter((route) => mayAccess(admin, route.id)).map((route) => routeStatus(route, statuses));
  return { generatedAt: new Date(now).toISOString(), queues: statuses, sellers, routes };
}

/** Pure: a route's members and how many of the statuses listed say yes now (docs/callers/routes-and-destinations.md). */
export function routeStatus(route: GateRoute, statuses: readonly QueueStatus[]): RouteStatus {
  const yes = new Set(statuses.filter((status) => status.answer?.canTransfer === true).map((status) => status.queue));
  return {
    route: route.id,
    queues: [...route.queues],
    pick: route.pick,
    deadlineMs: route.deadlineMs,
    membersAvailable: route.queues.filter((queue) => yes.has(queue)).length,
  };
}

/** Pure: one queue's status from its facts. */
export function queueStatus(queue: GateQueue, facts: QueueFacts, now: number): QueueStatus {
  const hours = hoursAt(queue, facts.override, now);
  const failure = newerFailure(facts.state);
  const holds = holdsStatus(queue.id, facts.holds, now);
  return {
    queue: queue.id,
    vendor: queue.vendor,
    minAvailable: queue.policy.minAvailable,
    holdMs: queue.policy.holdMs,
    open: !hours.closed,
    closedBy: hours.closed ? hours.closedBy : null,
    opensAt: hours.closed ? iso(hours.opensAt) : null,
    closesAt: hours.closed ? null : iso(hours.closesAt ?? null),
    override: facts.override ? overrideAnswer(queue.id, facts.override) : null,
    answer: storedAnswer(queue, facts, hours.closed ? closedDecision(queue, hours, now) : undefined, holds.count, now),
    reading: readingStatus(facts, now),
    failure: failure ? { vendorError: failure.kind, at: iso(failure.at), streak: failure.streak, retryAt: iso(failure.retryAt) } : null,
    holds,
  };
}

/** The last failure, when no good reading came after it (a good read ends the streak). */
function newerFailure(state: ReadState) {
  const { failure, reading } = state;
  return failure && (!reading || failure.at >= reading.checkedAt) ? failure : undefined;
}

function readingStatus({ state, readKey }: QueueFacts, now: number): QueueStatus['reading'] {
  const reading = state.reading;
  if (!reading) return null;
  const common = { checkedAt: iso(reading.checkedAt), ageMs: Math.max(0, now - reading.checkedAt) };
  // A shared read's counts are the whole company's, never one queue's.
  if (readKey.shared) return { availableAgents: null, ...common, sharedRead: readKey.key };
  const { available, busy, total } = reading.availability;
  return { availableAgents: available, ...(busy !== undefined && { busyAgents: busy }), ...(total !== undefined && { totalAgents: total }), ...common };
}

/** What the gate would answer from the stored data alone (the decision is the gate's own pure one). */
function storedAnswer(queue: GateQueue, facts: QueueFacts, closed: Decision | undefined, held: number, now: number): QueueStatus['answer'] {
  if (closed) return { canTransfer: false, reason: closed.reason };
  const result = storedResult(facts);
  if (!result) return null;
  const decision = decide(queue, result, now);
  if (decision.availableAgents === null || queue.policy.holdMs <= 0) return { canTransfer: decision.canTransfer, reason: decision.reason };
  const canTransfer = decision.availableAgents - held >= queue.policy.minAvailable;
  return { canTransfer, reason: canTransfer ? 'agents_available' : 'not_enough_agents' };
}

function storedResult({ state, readKey }: QueueFacts): ReadResult | undefined {
  const failure = newerFailure(state);
  if (failure) return { ok: false, kind: failure.kind, at: failure.at, source: 'cache', ...(readKey.shared ? {} : { lastGood: state.reading }) };
  if (!state.reading || readKey.shared) return undefined;
  return { ok: true, reading: state.reading, source: 'cache' };
}

function holdsStatus(queueId: string, holds: readonly Hold[], now: number): QueueStatus['holds'] {
  const list: StatusHold[] = holds
    .filter((hold) => hold.expiresAt > now)
    .map((hold) => ({ queue: queueId, seller: hold.callerName, callerId: hold.callerId, expiresAt: iso(hold.expiresAt) }));
  // No prototype: a caller named `__proto__` or `constructor` is just a name.
  const bySeller: Record<string, number> = Object.create(null);
  for (const hold of list) bySeller[hold.seller] = (bySeller[hold.seller] ?? 0) + 1;
  return { count: list.length, bySeller, list };
}

/** Every caller that may see one of these queues, and any other name holding an agent on them (amazon-connect). */
function sellersOf(callers: readonly Caller[], queues: readonly GateQueue[], statuses: readonly QueueStatus[]): string[] {
  const names = new Set<string>();
  for (const caller of callers) if (queues.some((queue) => mayAccess(caller, queue.id))) names.add(caller.name);
  for (const status of statuses) for (const hold of status.holds.list) names.add(hold.seller);
  return [...names].sort();
}

function sellerStatus(seller: string, statuses: readonly QueueStatus[], counters: SellerCounters): SellerStatus {
  const holdsStanding = statuses.reduce((sum, status) => sum + (status.holds.bySeller[seller] ?? 0), 0);
  return { seller, holdsStanding, ...counters };
}

function iso(epochMs: number): string;
function iso(epochMs: number | null): string | null;
function iso(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}
