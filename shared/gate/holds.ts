/**
 * Holds (gate-contract.md section 7): a "yes" that keeps its agent. Applied to a decision after
 * the read: agents held for other calls are not free, and a "yes" to a request that names a
 * callerId places one hold through the store's atomic `placeHold`. Every hold placed, reused,
 * released or lapsed is one structured log line (the audit that disputes need).
 */
import type { GateQueue } from '../config/gate-config';
import { logger } from '../logger';
import type { Hold, StateStore } from '../state/store';
import type { Decision } from './decide';

/** Who asks: the caller's name and the call it wants to send. */
export interface HoldRequest {
  callerName?: string;
  callerId?: string;
}

/** 1 to 64 characters; typically the caller's number in E.164. */
export const callerIdPattern = /^[0-9A-Za-z+._:@-]{1,64}$/;
export const callerIdRule = 'callerId must be 1 to 64 characters of 0-9 A-Z a-z + . _ : @ -';

/** What is wrong with a callerId, or undefined when it is well formed. */
export function callerIdProblem(value: string): string | undefined {
  if (callerIdPattern.test(value)) return undefined;
  return value.length === 0 || value.length > 64 ? `${callerIdRule} (got ${value.length})` : `${callerIdRule} (it has other characters)`;
}

export type HoldEvent = 'placed' | 'reused' | 'released' | 'lapsed';

/** The reading's counts that an audit line carries, where the answer knows them. */
type ReadingCounts = Pick<Decision, 'availableAgents' | 'busyAgents' | 'totalAgents' | 'checkedAt'>;

/** One audit line. Caller ids are not secrets; keys and vendor data never reach this function. */
export function logHold(event: HoldEvent, queueId: string, hold: Pick<Hold, 'callerName' | 'callerId' | 'expiresAt'>, counts?: ReadingCounts, releasedBy?: string): void {
  logger.info(`hold ${event}`, {
    queue: queueId,
    caller: hold.callerName,
    callerId: hold.callerId,
    expiresAt: new Date(hold.expiresAt).toISOString(),
    ...(counts && { availableAgents: counts.availableAgents, busyAgents: counts.busyAgents, totalAgents: counts.totalAgents, checkedAt: counts.checkedAt }),
    ...(releasedBy !== undefined && { releasedBy }),
  });
}

interface HoldContext {
  store: StateStore;
  now: number;
  /** Runs this container's placements on one queue one at a time (see Gate). */
  oneAtATime?: <T>(queueId: string, task: () => Promise<T>) => Promise<T>;
}

/**
 * The decision with holds applied. Unchanged on queues without holds. A closed queue, and an
 * answer without a reading (vendor_error: nothing to count holds against), report heldAgents
 * but never place a hold. A stale answer counts and places holds on its last good reading,
 * like a fresh one: it is the reading the "yes" was given on.
 */
export async function applyHolds({ store, now, oneAtATime }: HoldContext, queue: GateQueue, decision: Decision, request: HoldRequest): Promise<Decision> {
  const { holdMs, minAvailable } = queue.policy;
  if (holdMs <= 0) return decision;
  const available = decision.availableAgents;
  const { callerName, callerId } = request;
  const mayPlace = available !== null && decision.reason !== 'closed' && callerName !== undefined && callerId !== undefined;
  if (!mayPlace || available < minAvailable) {
    const others = (await store.holds(queue.id, now)).filter((hold) => hold.callerName !== callerName || hold.callerId !== callerId);
    return withHolds(decision, countedDecision(decision, available, others.length, minAvailable));
  }
  const hold: Hold = { callerName, callerId, placedAt: now, expiresAt: now + holdMs };
  const place = () => store.placeHold(queue.id, hold, available - minAvailable + 1, now);
  const outcome = await (oneAtATime ? oneAtATime(queue.id, place) : place());
  // No counts on a lapse: the reading in hand is not the one the hold was placed on (that line says it).
  for (const lapsed of outcome.lapsed) logHold('lapsed', queue.id, lapsed);
  if (!outcome.placed) return withHolds(decision, countedDecision(decision, available, outcome.heldByOthers, minAvailable));
  logHold(outcome.reused ? 'reused' : 'placed', queue.id, outcome.hold, decision);
  const counted = countedDecision(decision, available, outcome.heldByOthers, minAvailable);
  return withHolds(decision, { ...counted, hold: { callerId, expiresAt: new Date(outcome.hold.expiresAt).toISOString() } });
}

type HoldFields = Pick<Decision, 'canTransfer' | 'reason' | 'heldAgents' | 'hold'>;

/** canTransfer = availableAgents - heldAgents >= minAvailable, on answers that have a reading. */
function countedDecision(decision: Decision, available: number | null, heldAgents: number, minAvailable: number): HoldFields {
  if (available === null || decision.reason === 'closed') return { canTransfer: decision.canTransfer, reason: decision.reason, heldAgents };
  const canTransfer = available - heldAgents >= minAvailable;
  return { canTransfer, reason: canTransfer ? 'agents_available' : 'not_enough_agents', heldAgents };
}

/** The hold fields in the answer's documented place: after vendorError, before the hours fields. */
function withHolds(decision: Decision, fields: HoldFields): Decision {
  const { closedBy, opensAt, closesAt, ...rest } = decision;
  const next: Decision = { ...rest, canTransfer: fields.canTransfer, reason: fields.reason, heldAgents: fields.heldAgents };
  if (fields.hold) next.hold = fields.hold;
  if (closedBy !== undefined) next.closedBy = closedBy;
  if (opensAt !== undefined) next.opensAt = opensAt;
  if (closesAt !== undefined) next.closesAt = closesAt;
  return next;
}

/** Releases the caller's own hold; logs what was released. False when it held none. */
export async function releaseHold({ store, now }: HoldContext, queueId: string, callerName: string, callerId: string): Promise<boolean> {
  const held = (await store.holds(queueId, now)).find((hold) => hold.callerName === callerName && hold.callerId === callerId);
  if (!held) return false;
  const released = await store.releaseHold(queueId, callerName, callerId, now);
  if (released) logHold('released', queueId, held);
  return released;
}

/**
 * An admin's release (docs/on-call/console.md): every unexpired hold for this callerId on the
 * queue, whoever placed it; each logged with the admin as `releasedBy`. False when none stood.
 */
export async function releaseHoldsFor({ store, now }: HoldContext, queueId: string, callerId: string, admin: string): Promise<boolean> {
  const held = (await store.holds(queueId, now)).filter((hold) => hold.callerId === callerId);
  let released = false;
  for (const hold of held) {
    if (!(await store.releaseHold(queueId, hold.callerName, callerId, now))) continue;
    logHold('released', queueId, hold, undefined, admin);
    released = true;
  }
  return released;
}
