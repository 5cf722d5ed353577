/**
 * The state store port (docs/operators/shared-state.md, docs/operators/holds.md and docs/operators/hours-and-overrides.md): everything a queue remembers across
 * containers, behind one interface with two backends (memory, DynamoDB) held to one contract
 * test. Every write that must hold "across all containers" is a single-item conditional write,
 * and every expiry is decided from timestamps in the data (the DynamoDB TTL only cleans up).
 * Times are epoch milliseconds.
 */
import type { VendorErrorKind } from '../errors';
import type { Availability } from '../vendors/port';

/** A good vendor answer and when it was read. */
export interface StoredReading {
  availability: Availability;
  checkedAt: number;
  /** A shared read's data that queues project their own answer from (Aircall: user id -> live status). */
  snapshot?: Record<string, string>;
}

/** The last failed read: no vendor call for this key before `retryAt`. */
export interface StoredFailure {
  kind: VendorErrorKind;
  at: number;
  /** Failures in a row, this one included. */
  streak: number;
  retryAt: number;
}

/** The right to read the vendor for one key; it lapses at `until` if its holder dies. */
export interface Lease {
  owner: string;
  until: number;
}

/** What one read key (a queue, or a shared vendor read) remembers. */
export interface ReadState {
  reading?: StoredReading;
  failure?: StoredFailure;
  lease?: Lease;
}

/** One agent held for one call (docs/operators/holds.md). A hold belongs to the caller name and the callerId. */
export interface Hold {
  callerName: string;
  callerId: string;
  placedAt: number;
  expiresAt: number;
}

export type HoldOutcome =
  /** `reused`: the same caller already held an agent for this callerId; nothing was written. */
  | { placed: true; hold: Hold; reused: boolean; heldByOthers: number; lapsed: Hold[] }
  /** Other holds already take every agent the reading allows. */
  | { placed: false; heldByOthers: number; lapsed: Hold[] };

/** An emergency override of a queue's schedule (docs/operators/hours-and-overrides.md). */
export interface Override {
  state: 'open' | 'closed';
  /** Epoch ms; absent: until deleted. */
  until?: number;
  note?: string;
  /** The admin caller's name. */
  setBy: string;
  setAt: number;
}

/** A seller's hold in one of its `maxHolds` slots (docs/operators/limits.md): which call, until when. */
export interface HoldSlot {
  queueId: string;
  callerId: string;
  expiresAt: number;
}

export type SlotOutcome =
  | { taken: true }
  /** Every slot stands: `retryAt` is the earliest expiry among them. */
  | { taken: false; retryAt: number };

export type MarkOutcome =
  /** `previous`: the transfer time the mark replaced (one outside the window), for the undo. */
  | { marked: true; previous?: number }
  /** A transfer was marked at `last`, inside the window. */
  | { marked: false; last: number };

export interface StateStore {
  readonly kind: 'memory' | 'dynamodb';

  /** The key's last reading, last failure and current lease (an expired lease is still returned; compare `until`). */
  readState(key: string): Promise<ReadState>;
  /**
   * Takes the refresh lease when none stands (or it lapsed, or `owner` holds it), in one
   * conditional write that returns the key's state as written (a reading another container wrote
   * since it was last read included); undefined when another holds the lease.
   */
  takeLease(key: string, owner: string, now: number, leaseMs: number): Promise<ReadState | undefined>;
  /** Stores a good reading, clears the failure, and releases the lease if `owner` holds it. */
  putReading(key: string, owner: string, reading: StoredReading): Promise<void>;
  /** Stores a failure (keeping the last good reading), and releases the lease if `owner` holds it. */
  putFailure(key: string, owner: string, failure: StoredFailure): Promise<void>;

  /** Epoch ms until which no call may be made with this secret, if a block stands at `now`. */
  blockedUntil(secret: string, now: number): Promise<number | undefined>;
  /** Blocks the secret until `until` (a later existing block is kept). */
  block(secret: string, until: number): Promise<void>;
  /**
   * Takes `calls` from the secret's budget for the UTC calendar minute of `now`. False (and
   * nothing taken) when that would exceed `limit`. A negative `calls` gives calls back.
   */
  spendBudget(secret: string, now: number, limit: number, calls?: number): Promise<boolean>;

  /** The unexpired holds on a queue. */
  holds(queueId: string, now: number): Promise<Hold[]>;
  /**
   * Atomically: drops expired holds; refuses when the holds of others already number
   * `maxHolds`; else returns the asker's own hold for this callerId unchanged, or places `hold`.
   */
  placeHold(queueId: string, hold: Hold, maxHolds: number, now: number): Promise<HoldOutcome>;
  /** Removes the caller's own unexpired hold; false when there is none. */
  releaseHold(queueId: string, callerName: string, callerId: string, now: number): Promise<boolean>;

  /** The queue's override, unless it has expired at `now`. */
  getOverride(queueId: string, now: number): Promise<Override | undefined>;
  putOverride(queueId: string, override: Override): Promise<void>;
  /** False when there was none. */
  deleteOverride(queueId: string): Promise<boolean>;

  /**
   * Counters (docs/operators/limits.md): adds 1 to the counter `key` (its window is part of the
   * key) unless it already counts `limit`. True when counted. `expiresAt`: when the counter is
   * of no more use (the end of its window).
   */
  takeCount(key: string, limit: number, expiresAt: number, now: number): Promise<boolean>;
  /** Takes back one unit counted by `takeCount` (the undo when a later step refuses). */
  returnCount(key: string, expiresAt: number): Promise<void>;
  /** What the counter `key` counts now (0 when nothing was counted in its window): GET /v1/status reads it. */
  readCount(key: string, now: number): Promise<number>;
  /**
   * Requests per minute: `takeCount` on the `pings` counter. Behind the resilient store it is
   * counted in the container's memory while the table fails (never a refusal for that).
   */
  countPing(key: string, limit: number, expiresAt: number, now: number): Promise<boolean>;

  /** Puts the hold in a free one of the seller's `maxHolds` slots (a slot whose hold expired is free). */
  takeHoldSlot(seller: string, maxHolds: number, hold: HoldSlot, now: number): Promise<SlotOutcome>;
  /**
   * Frees the slot holding this call (a release; with `expiresAt`, only the slot of that hold: the
   * undo of a refused placement, which must not free the same call's standing hold). False when none does.
   */
  freeHoldSlot(seller: string, maxHolds: number, queueId: string, callerId: string, expiresAt?: number): Promise<boolean>;

  /** When a hold was last placed for the duplicate key (its scope and the callerId), if ever. */
  lastTransfer(key: string): Promise<number | undefined>;
  /** Records a transfer at `at` unless one was recorded after `since` (the window's start). */
  markTransfer(key: string, at: number, since: number, expiresAt: number): Promise<MarkOutcome>;
  /** The undo of `markTransfer`: puts `previous` back, if the mark at `at` is still the last one. */
  unmarkTransfer(key: string, at: number, previous: number | undefined): Promise<void>;
}

/** The UTC calendar minute a budget counter belongs to. */
export function budgetMinute(now: number): number {
  return Math.floor(now / 60_000);
}

/** Splits a queue's unexpired holds into the asker's own (same caller and callerId) and the others'. */
export function partitionHolds(holds: readonly Hold[], callerName: string, callerId: string, now: number) {
  const live = holds.filter((hold) => hold.expiresAt > now);
  const own = live.find((hold) => hold.callerName === callerName && hold.callerId === callerId);
  return { live, own, others: live.filter((hold) => hold !== own), lapsed: holds.filter((hold) => hold.expiresAt <= now) };
}

/** The place-hold rule both backends apply to the holds they read, inside their atomic write. */
export function applyHold(holds: readonly Hold[], hold: Hold, maxHolds: number, now: number): { outcome: HoldOutcome; next: Hold[] | undefined } {
  const { live, own, others, lapsed } = partitionHolds(holds, hold.callerName, hold.callerId, now);
  const heldByOthers = others.length;
  if (heldByOthers >= maxHolds) return { outcome: { placed: false, heldByOthers, lapsed }, next: lapsed.length ? live : undefined };
  if (own) return { outcome: { placed: true, hold: own, reused: true, heldByOthers, lapsed }, next: lapsed.length ? live : undefined };
  return { outcome: { placed: true, hold, reused: false, heldByOthers, lapsed }, next: [...live, hold] };
}
