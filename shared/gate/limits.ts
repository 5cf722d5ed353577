/**
 * A transfer's limits, taken together with its hold (docs/operators/limits.md): the duplicate
 * mark, the seller's hold slot and every window counter are written at once, each one
 * conditional write on one item. When any refuses, or the hold is then refused, what was taken
 * is given back (the undo), so no limit ever counts a transfer that did not happen. The refusal
 * reported is the first in the order the limits speak.
 */
import type { GateQueue } from '../config/gate-config';
import type { Hold, StateStore } from '../state/store';
import { type LimitName, type SellerLimits, duplicateKey, duplicateWindowStart, longestDuplicateWindowMs, transferCharges } from './limit-windows';

export type LimitReason = 'caller_limit' | 'queue_limit' | 'duplicate_caller';

export interface LimitRefusal {
  reason: LimitReason;
  limit?: LimitName;
  /** Epoch ms: the start of the next window, or (maxHolds) the earliest expiry of the seller's holds. */
  retryAt?: number;
}

/** One write of the transfer: a refusal, or what undoes it. */
type Step = { refusal: LimitRefusal } | { undo: () => Promise<unknown> };

export interface TakenLimits {
  refusal?: LimitRefusal;
  /** Gives back everything taken (after a refused or reused hold); nothing to give back after a refusal. */
  undo(): Promise<void>;
}

const nothing = async () => undefined;

function markStep(store: StateStore, queue: GateQueue, hold: Hold): Promise<Step> | undefined {
  const key = duplicateKey(queue, hold.callerId);
  if (key === undefined) return undefined;
  const now = hold.placedAt;
  return store
    .markTransfer(key, now, duplicateWindowStart(queue, now), now + longestDuplicateWindowMs)
    .then((outcome) => (outcome.marked ? { undo: () => store.unmarkTransfer(key, now, outcome.previous) } : { refusal: { reason: 'duplicate_caller' } }));
}

function slotStep(store: StateStore, seller: SellerLimits | undefined, queue: GateQueue, hold: Hold): Promise<Step> | undefined {
  const maxHolds = seller?.maxHolds;
  if (maxHolds === undefined) return undefined;
  const slot = { queueId: queue.id, callerId: hold.callerId, expiresAt: hold.expiresAt };
  return store
    .takeHoldSlot(hold.callerName, maxHolds, slot, hold.placedAt)
    .then((outcome) =>
      outcome.taken
        ? { undo: () => store.freeHoldSlot(hold.callerName, maxHolds, queue.id, hold.callerId, hold.expiresAt) }
        : { refusal: { reason: 'caller_limit', limit: 'maxHolds', retryAt: outcome.retryAt } },
    );
}

/** Every write at once (one round trip); the refusal that speaks first wins, and the others are given back. */
export async function takeTransferLimits(store: StateStore, seller: SellerLimits | undefined, queue: GateQueue, hold: Hold): Promise<TakenLimits> {
  const charges = transferCharges(hold.callerName, seller, queue, hold.placedAt).map((charge): Promise<Step> =>
    store
      .takeCount(charge.key, charge.max, charge.end, hold.placedAt)
      .then((counted) =>
        counted
          ? { undo: () => store.returnCount(charge.key, charge.end) }
          : { refusal: { reason: charge.owner === 'caller' ? 'caller_limit' : 'queue_limit', limit: charge.limit, retryAt: charge.end } },
      ),
  );
  const steps = [markStep(store, queue, hold), slotStep(store, seller, queue, hold), ...charges].filter((step) => step !== undefined);
  const settled = await Promise.allSettled(steps);
  const undoAll = async () => {
    await Promise.allSettled(settled.map((result) => (result.status === 'fulfilled' && 'undo' in result.value ? result.value.undo() : undefined)));
  };
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) {
    // The store did not confirm one write: give back the others (best effort) and let onStoreError decide.
    await undoAll();
    throw failed.reason;
  }
  const refusal = settled
    .map((result) => (result.status === 'fulfilled' && 'refusal' in result.value ? result.value.refusal : undefined))
    .find((found) => found !== undefined);
  if (refusal) {
    await undoAll();
    return { refusal, undo: nothing };
  }
  return { undo: undoAll };
}
