/**
 * The shared-promise step: the one place where a decision meets what the gate promised other
 * callers across containers (docs/operators/holds.md and docs/on-call/when-things-fail.md). Today that is holds: a
 * "yes" that names a callerId places one hold with the store's atomic `placeHold`, and agents held
 * for other calls are not free. Limits and duplicate windows join here, counted in the same
 * atomic write and under the same `onStoreError` rule.
 *
 * Promises live in the store or nowhere: when the store cannot confirm, nothing is kept in this
 * container's memory instead. A request that needed a promise is answered by the queue's
 * `onStoreError` (deny: `state_unavailable`; allow: the agents alone, `stateUnavailable: true`); a
 * request that needed none is answered from the agents alone, with `heldAgents: null`.
 */
import type { GateQueue } from '../config/gate-config';
import { StateUnavailableError } from '../errors';
import type { Hold, HoldOutcome, StateStore } from '../state/store';
import type { Decision } from './decide';
import { type HoldRequest, logHold } from './holds';
import { hasTransferLimits } from './limit-windows';
import { type LimitRefusal, takeTransferLimits } from './limits';

export interface PromiseContext {
  store: StateStore;
  now: number;
  /** Runs this container's placements on one queue one at a time (see Gate). */
  oneAtATime?: <T>(queueId: string, task: () => Promise<T>) => Promise<T>;
}

/** What a "yes" asks the store to promise, in one atomic write. */
export interface PromiseRequest {
  queueId: string;
  hold: Hold;
  /** No more holds of others may stand than this (the rule on the reading in hand, docs/operators/holds.md). */
  maxHolds: number;
  now: number;
}

/**
 * The promise this decision needs, or undefined: only a "yes" with a reading (an open queue) to a
 * request that names its call, on a queue with holds. A stale answer places on its last good
 * reading, like a fresh one: it is the reading the "yes" was given on.
 */
export function promiseNeeded(queue: GateQueue, decision: Decision, request: HoldRequest, now: number): PromiseRequest | undefined {
  const { holdMs, minAvailable } = queue.policy;
  const { callerName, callerId } = request;
  const available = decision.availableAgents;
  if (holdMs <= 0 || available === null || decision.reason === 'closed' || available < minAvailable) return undefined;
  if (callerName === undefined || callerId === undefined) return undefined;
  const hold: Hold = { callerName, callerId, placedAt: now, expiresAt: now + holdMs };
  return { queueId: queue.id, hold, maxHolds: available - minAvailable + 1, now };
}

/** The decision with the queue's shared promises applied; unchanged on queues without holds. */
export async function applySharedPromises(context: PromiseContext, queue: GateQueue, decision: Decision, request: HoldRequest): Promise<Decision> {
  if (queue.policy.holdMs <= 0) return decision;
  const wanted = promiseNeeded(queue, decision, request, context.now);
  try {
    if (!wanted) return await countOnly(context, queue, decision, request);
    const place = () => context.store.placeHold(wanted.queueId, wanted.hold, wanted.maxHolds, wanted.now);
    const placeInTurn = () => (context.oneAtATime ? context.oneAtATime(queue.id, place) : place());
    if (!hasTransferLimits(request.sellerLimits, queue) && !queue.policy.duplicates) return placedDecision(queue, decision, await placeInTurn());
    return await withLimits(context, queue, decision, request, wanted, placeInTurn);
  } catch (error) {
    if (!(error instanceof StateUnavailableError)) throw error;
    return unconfirmed(queue, decision, wanted !== undefined);
  }
}

/**
 * A route's probe (docs/callers/routes-and-destinations.md): the answer this decision would be,
 * counting the holds of others, without placing anything; and whether the asker's own hold for
 * this callerId already stands. When the store cannot say, the answer is what `onStoreError` gives.
 */
export async function countHolds(
  context: PromiseContext,
  queue: GateQueue,
  decision: Decision,
  request: HoldRequest,
): Promise<{ decision: Decision; ownHold: boolean }> {
  const { callerName, callerId } = request;
  try {
    const holds = await context.store.holds(queue.id, context.now);
    const others = holds.filter((hold) => hold.callerName !== callerName || hold.callerId !== callerId);
    const answer = withHolds(decision, counted(decision, others.length, queue.policy.minAvailable));
    return { decision: answer, ownHold: callerId !== undefined && others.length < holds.length };
  } catch (error) {
    if (!(error instanceof StateUnavailableError)) throw error;
    return { decision: unconfirmed(queue, decision, promiseNeeded(queue, decision, request, context.now) !== undefined), ownHold: false };
  }
}

/**
 * docs/operators/limits.md: the limits and the duplicate mark are taken with the hold. A refusal
 * stands unless the seller's own hold for this call stands (asked again: the same transfer, not
 * counted again); a hold refused or reused gives back what was taken.
 */
async function withLimits(
  context: PromiseContext,
  queue: GateQueue,
  decision: Decision,
  request: HoldRequest,
  wanted: PromiseRequest,
  place: () => Promise<HoldOutcome>,
): Promise<Decision> {
  const taken = await takeTransferLimits(context.store, request.sellerLimits, queue, wanted.hold);
  if (taken.refusal) {
    const holds = await context.store.holds(queue.id, context.now);
    const ownStands = holds.some((hold) => hold.callerName === wanted.hold.callerName && hold.callerId === wanted.hold.callerId);
    if (!ownStands) return refusedByLimit(decision, taken.refusal, holds.length);
    const again = await place();
    if (!again.placed || again.reused) return placedDecision(queue, decision, again);
    // The own hold lapsed meanwhile: this is a new transfer, which the limit refused. Take it back.
    await context.store.releaseHold(queue.id, wanted.hold.callerName, wanted.hold.callerId, context.now);
    return refusedByLimit(decision, taken.refusal, again.heldByOthers);
  }
  let outcome: HoldOutcome;
  try {
    outcome = await place();
  } catch (error) {
    await taken.undo();
    throw error;
  }
  if (!outcome.placed || outcome.reused) await taken.undo();
  return placedDecision(queue, decision, outcome);
}

/** A "no" from a limit: which one, and when to try again; the agents' counts as they were. */
function refusedByLimit(decision: Decision, refusal: LimitRefusal, heldAgents: number): Decision {
  const refused = withHolds(decision, { canTransfer: false, reason: refusal.reason, heldAgents });
  if (refusal.limit) refused.limit = refusal.limit;
  if (refusal.retryAt !== undefined) refused.retryAt = new Date(refusal.retryAt).toISOString();
  return refused;
}

/** No promise to make: the answer counts the holds of others. */
async function countOnly(context: PromiseContext, queue: GateQueue, decision: Decision, request: HoldRequest): Promise<Decision> {
  const { callerName, callerId } = request;
  const others = (await context.store.holds(queue.id, context.now)).filter((hold) => hold.callerName !== callerName || hold.callerId !== callerId);
  return withHolds(decision, counted(decision, others.length, queue.policy.minAvailable));
}

function placedDecision(queue: GateQueue, decision: Decision, outcome: HoldOutcome): Decision {
  // No counts on a lapse: the reading in hand is not the one the hold was placed on (that line says it).
  for (const lapsed of outcome.lapsed) logHold('lapsed', queue.id, lapsed);
  const fields = counted(decision, outcome.heldByOthers, queue.policy.minAvailable);
  if (!outcome.placed) return withHolds(decision, fields);
  logHold(outcome.reused ? 'reused' : 'placed', queue.id, outcome.hold, decision);
  return withHolds(decision, { ...fields, hold: { callerId: outcome.hold.callerId, expiresAt: new Date(outcome.hold.expiresAt).toISOString() } });
}

/**
 * The store did not answer. A "yes" that needed a promise follows `onStoreError`: deny refuses it
 * with `state_unavailable`, allow gives the agents' answer without a hold. Any other answer (a
 * "no" of the agents alone, a request without a callerId, a closed queue) keeps its own reason;
 * its held agents are unknown.
 */
export function unconfirmed(queue: GateQueue, decision: Decision, neededPromise: boolean): Decision {
  if (neededPromise && queue.policy.onStoreError === 'deny') return withHolds(decision, { canTransfer: false, reason: 'state_unavailable', heldAgents: null });
  return withHolds(decision, { canTransfer: decision.canTransfer, reason: decision.reason, heldAgents: null, stateUnavailable: true });
}

type HoldFields = Pick<Decision, 'canTransfer' | 'reason' | 'heldAgents' | 'hold' | 'stateUnavailable'>;

/** canTransfer = availableAgents - heldAgents >= minAvailable, on answers that have a reading. */
function counted(decision: Decision, heldAgents: number, minAvailable: number): HoldFields {
  const available = decision.availableAgents;
  if (available === null || decision.reason === 'closed') return { canTransfer: decision.canTransfer, reason: decision.reason, heldAgents };
  const canTransfer = available - heldAgents >= minAvailable;
  return { canTransfer, reason: canTransfer ? 'agents_available' : 'not_enough_agents', heldAgents };
}

/** The hold fields in the answer's documented place: after vendorError, before the hours fields. */
function withHolds(decision: Decision, fields: HoldFields): Decision {
  const { closedBy, opensAt, closesAt, ...rest } = decision;
  const next: Decision = { ...rest, canTransfer: fields.canTransfer, reason: fields.reason, heldAgents: fields.heldAgents };
  if (fields.hold) next.hold = fields.hold;
  if (fields.stateUnavailable) next.stateUnavailable = true;
  if (closedBy !== undefined) next.closedBy = closedBy;
  if (opensAt !== undefined) next.opensAt = opensAt;
  if (closesAt !== undefined) next.closesAt = closesAt;
  return next;
}
