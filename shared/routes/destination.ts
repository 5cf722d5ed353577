/**
 * What a yes carries beyond "yes" (docs/callers/routes-and-destinations.md): where to send the
 * call, by when, and on what terms. A seller's own value for the queue replaces the queue's whole.
 */
import type { Payout } from '../config/destinations';
import type { Decision } from '../gate/decide';

export interface SellerDestinations {
  transferTo?: Readonly<Record<string, string>>;
  payout?: Readonly<Record<string, Payout>>;
}

export interface QueueDestination {
  id: string;
  transferTo?: string;
  policy: { payout?: Payout };
}

export interface Destination {
  transferTo?: string;
  payout?: Payout;
}

export function destinationFor(queue: QueueDestination, seller: SellerDestinations | undefined): Destination {
  const transferTo = seller?.transferTo?.[queue.id] ?? queue.transferTo;
  const payout = seller?.payout?.[queue.id] ?? queue.policy.payout;
  return { ...(transferTo !== undefined && { transferTo }), ...(payout !== undefined && { payout }) };
}

/** Whole seconds until the hold expires, rounded down, at least 1 (the form platforms read). */
export function expiresInSeconds(expiresAt: number, now: number): number {
  return Math.max(1, Math.floor((expiresAt - now) / 1000));
}

/** A queue's answer as callers get it: the decision, and on a yes where to send the call, by when and on what terms. */
export type QueueAnswer = Decision & Destination & { expiresInSeconds?: number };

/**
 * The decision with a yes's destination fields (never on a no): `expiresInSeconds` beside a hold
 * placed or re-used, then `transferTo` and `payout`.
 */
export function queueAnswer(decision: Decision, queue: QueueDestination, seller: SellerDestinations | undefined, now: number): QueueAnswer {
  if (!decision.canTransfer) return decision;
  const answer: QueueAnswer = { ...decision };
  if (decision.hold) answer.expiresInSeconds = expiresInSeconds(Date.parse(decision.hold.expiresAt), now);
  const { transferTo, payout } = destinationFor(queue, seller);
  if (transferTo !== undefined) answer.transferTo = transferTo;
  if (payout !== undefined) answer.payout = payout;
  return answer;
}
