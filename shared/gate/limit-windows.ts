/**
 * The limit rules, pure (docs/operators/limits.md): UTC windows, the counter keys a transfer is
 * charged to, in the order the limits speak, and when to retry. No clock, no store.
 */
import type { GateQueue } from '../config/gate-config';

export const minuteMs = 60_000;
export const hourMs = 3_600_000;
export const dayMs = 86_400_000;
/** The longest duplicate window (2160 hours): how long a transfer mark can matter. */
export const longestDuplicateWindowMs = 2160 * hourMs;

export type LimitName = 'maxHolds' | 'transfersPerHour' | 'transfersPerDay';

/** The UTC window of `sizeMs` that `now` falls in: its number since the epoch, and its end (the next one's start). */
export function windowAt(sizeMs: number, now: number): { index: number; end: number } {
  const index = Math.floor(now / sizeMs);
  return { index, end: (index + 1) * sizeMs };
}

/** The seller limits a transfer counts against (the callers secret's `limits`). */
export interface SellerLimits {
  maxHolds?: number;
  transfersPerHour?: number;
  transfersPerDay?: number;
  pingsPerMinute?: number;
}

/** One counter a transfer is charged to: whose, which limit, its key (window included), its limit, its window's end. */
export interface Charge {
  owner: 'caller' | 'queue';
  limit: Exclude<LimitName, 'maxHolds'>;
  key: string;
  max: number;
  end: number;
}

const windows = [
  ['transfersPerHour', hourMs, 'hour'],
  ['transfersPerDay', dayMs, 'day'],
] as const;

const counterKey = (prefix: string, unit: (typeof windows)[number][2], index: number) => `${prefix}#${unit}:${index}`;
const sellerPrefix = (sellerName: string) => `caller:${sellerName}`;

/** The counters, in the order the limits speak: the seller's hour and day, then the queue's hour and day. */
export function transferCharges(sellerName: string, seller: SellerLimits | undefined, queue: GateQueue, now: number): Charge[] {
  const charges: Charge[] = [];
  const owners = [
    ['caller', sellerPrefix(sellerName), seller],
    ['queue', `queue:${queue.id}`, queue.policy.limits],
  ] as const;
  for (const [owner, prefix, limits] of owners) {
    for (const [limit, sizeMs, unit] of windows) {
      const max = limits?.[limit];
      if (max === undefined) continue;
      const { index, end } = windowAt(sizeMs, now);
      charges.push({ owner, limit, key: counterKey(prefix, unit, index), max, end });
    }
  }
  return charges;
}

/**
 * The seller's counters for the UTC hour and day of `now` (GET /v1/status): a window's counter
 * exists only while the seller has that limit (nothing is counted without one), so undefined then.
 */
export function sellerCounterKeys(sellerName: string, seller: SellerLimits | undefined, now: number): Partial<Record<Exclude<LimitName, 'maxHolds'>, string>> {
  const keys: Partial<Record<Exclude<LimitName, 'maxHolds'>, string>> = {};
  for (const [limit, sizeMs, unit] of windows)
    if (seller?.[limit] !== undefined) keys[limit] = counterKey(sellerPrefix(sellerName), unit, windowAt(sizeMs, now).index);
  return keys;
}

/** Whether a transfer by this seller to this queue is limited at all (no limit: no table call). */
export function hasTransferLimits(seller: SellerLimits | undefined, queue: GateQueue): boolean {
  const sellerLimited = seller?.maxHolds !== undefined || seller?.transfersPerHour !== undefined || seller?.transfersPerDay !== undefined;
  return sellerLimited || queue.policy.limits !== undefined;
}

/** The seller's ping counter for the UTC minute of `now`, and the whole seconds to the next minute (Retry-After, at least 1). */
export function pingWindow(sellerName: string, now: number): { key: string; end: number; retryAfterSeconds: number } {
  const { index, end } = windowAt(minuteMs, now);
  return { key: `pings:${sellerName}#minute:${index}`, end, retryAfterSeconds: Math.max(1, Math.ceil((end - now) / 1000)) };
}

/** The duplicate window's key: the callerId within this queue, or within every queue of scope `all`. */
export function duplicateKey(queue: GateQueue, callerId: string): string | undefined {
  const duplicates = queue.policy.duplicates;
  if (!duplicates) return undefined;
  return duplicates.scope === 'all' ? `all#${callerId}` : `queue:${queue.id}#${callerId}`;
}

/** The start of the queue's duplicate window at `now`: a transfer marked after it is a duplicate. */
export function duplicateWindowStart(queue: GateQueue, now: number): number {
  return now - (queue.policy.duplicates?.windowHours ?? 0) * hourMs;
}
