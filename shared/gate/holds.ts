/**
 * Holds (docs/operators/holds.md): a "yes" that keeps its agent. What a request names (callerId), the
 * audit line for every hold placed, reused, released or lapsed, and the early release. Placing
 * a hold is the shared-promise step (shared-promises.ts).
 */
import { logger } from '../logger';
import type { Hold, StateStore } from '../state/store';
import type { Decision } from './decide';
import type { SellerLimits } from './limit-windows';

/** Who asks: the caller's name and the call it wants to send. */
export interface HoldRequest {
  callerName?: string;
  /** In E.164 when it is a North American number (docs/operators/limits.md, "callerId forms"). */
  callerId?: string;
  /** The seller's limits from the callers secret (docs/operators/limits.md). */
  sellerLimits?: SellerLimits;
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
export function logHold(
  event: HoldEvent,
  queueId: string,
  hold: Pick<Hold, 'callerName' | 'callerId' | 'expiresAt'>,
  counts?: ReadingCounts,
  releasedBy?: string,
): void {
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
 * queue, whoever placed it; each logged with the admin as `releasedBy`. The names of the callers
 * whose holds were released (none when none stood).
 */
export async function releaseHoldsFor({ store, now }: HoldContext, queueId: string, callerId: string, admin: string): Promise<string[]> {
  const held = (await store.holds(queueId, now)).filter((hold) => hold.callerId === callerId);
  const holders: string[] = [];
  for (const hold of held) {
    if (!(await store.releaseHold(queueId, hold.callerName, callerId, now))) continue;
    logHold('released', queueId, hold, undefined, admin);
    holders.push(hold.callerName);
  }
  return holders;
}
