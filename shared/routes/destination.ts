/**
 * What a yes carries beyond "yes" (docs/callers/routes-and-destinations.md): where to send the
 * call, by when, and on what terms. A seller's own value for the queue replaces the queue's whole.
 */
import type { Payout } from '../config/destinations';

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
