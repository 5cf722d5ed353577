/**
 * The in-process backend: the same rules as the DynamoDB one, within one process. It is the
 * store when no GATE_STATE_TABLE is set, and the fallback when the table cannot be reached.
 * JavaScript runs each method's body without interleaving, so every write here is atomic.
 */
import {
  type Hold,
  type HoldOutcome,
  type HoldSlot,
  type MarkOutcome,
  type Override,
  type ReadState,
  type SlotOutcome,
  type StateStore,
  type StoredFailure,
  type StoredReading,
  applyHold,
  budgetMinute,
} from './store';

export class MemoryStore implements StateStore {
  readonly kind = 'memory';
  private readonly reads = new Map<string, ReadState>();
  private readonly blocks = new Map<string, number>();
  private readonly budgets = new Map<string, { minute: number; calls: number }>();
  private readonly holdLists = new Map<string, Hold[]>();
  private readonly overrides = new Map<string, Override>();
  private readonly counters = new Map<string, { count: number; expiresAt: number }>();
  private readonly slots = new Map<string, Array<HoldSlot | undefined>>();
  private readonly transfers = new Map<string, number>();

  async readState(key: string): Promise<ReadState> {
    return { ...this.reads.get(key) };
  }

  async takeLease(key: string, owner: string, now: number, leaseMs: number): Promise<ReadState | undefined> {
    const state = this.stateOf(key);
    if (state.lease && state.lease.until > now && state.lease.owner !== owner) return undefined;
    state.lease = { owner, until: now + leaseMs };
    return { ...state };
  }

  async putReading(key: string, owner: string, reading: StoredReading): Promise<void> {
    const state = this.stateOf(key);
    state.reading = reading;
    delete state.failure;
    if (state.lease?.owner === owner) delete state.lease;
  }

  async putFailure(key: string, owner: string, failure: StoredFailure): Promise<void> {
    const state = this.stateOf(key);
    state.failure = failure;
    if (state.lease?.owner === owner) delete state.lease;
  }

  async blockedUntil(secret: string, now: number): Promise<number | undefined> {
    const until = this.blocks.get(secret);
    return until !== undefined && until > now ? until : undefined;
  }

  async block(secret: string, until: number): Promise<void> {
    this.blocks.set(secret, Math.max(until, this.blocks.get(secret) ?? 0));
  }

  async spendBudget(secret: string, now: number, limit: number, calls = 1): Promise<boolean> {
    const minute = budgetMinute(now);
    const counter = this.budgets.get(secret);
    const spent = counter?.minute === minute ? counter.calls : 0;
    if (spent + calls > limit) return false;
    this.budgets.set(secret, { minute, calls: spent + calls });
    return true;
  }

  async holds(queueId: string, now: number): Promise<Hold[]> {
    return (this.holdLists.get(queueId) ?? []).filter((hold) => hold.expiresAt > now);
  }

  async placeHold(queueId: string, hold: Hold, maxHolds: number, now: number): Promise<HoldOutcome> {
    const { outcome, next } = applyHold(this.holdLists.get(queueId) ?? [], hold, maxHolds, now);
    if (next) this.holdLists.set(queueId, next);
    return outcome;
  }

  async releaseHold(queueId: string, callerName: string, callerId: string, now: number): Promise<boolean> {
    const holds = this.holdLists.get(queueId) ?? [];
    const live = holds.filter((hold) => hold.expiresAt > now);
    const rest = live.filter((hold) => !(hold.callerName === callerName && hold.callerId === callerId));
    this.holdLists.set(queueId, rest);
    return rest.length < live.length;
  }

  async getOverride(queueId: string, now: number): Promise<Override | undefined> {
    const override = this.overrides.get(queueId);
    return override && (override.until === undefined || override.until > now) ? { ...override } : undefined;
  }

  async putOverride(queueId: string, override: Override): Promise<void> {
    this.overrides.set(queueId, { ...override });
  }

  async deleteOverride(queueId: string): Promise<boolean> {
    return this.overrides.delete(queueId);
  }

  async takeCount(key: string, limit: number, expiresAt: number, now: number): Promise<boolean> {
    const counter = this.counters.get(key);
    const count = counter && counter.expiresAt > now ? counter.count : 0;
    if (count >= limit) return false;
    this.counters.set(key, { count: count + 1, expiresAt });
    return true;
  }

  async returnCount(key: string): Promise<void> {
    const counter = this.counters.get(key);
    if (counter && counter.count > 0) counter.count -= 1;
  }

  async readCount(key: string, now: number): Promise<number> {
    const counter = this.counters.get(key);
    return counter && counter.expiresAt > now ? counter.count : 0;
  }

  countPing(key: string, limit: number, expiresAt: number, now: number): Promise<boolean> {
    return this.takeCount(key, limit, expiresAt, now);
  }

  async takeHoldSlot(seller: string, maxHolds: number, hold: HoldSlot, now: number): Promise<SlotOutcome> {
    const slots = this.slots.get(seller) ?? [];
    for (let index = 0; index < maxHolds; index += 1) {
      const standing = slots[index];
      if (standing && standing.expiresAt > now) continue;
      slots[index] = { ...hold };
      this.slots.set(seller, slots);
      return { taken: true };
    }
    const expiries = slots.slice(0, maxHolds).map((slot) => slot?.expiresAt ?? now);
    return { taken: false, retryAt: Math.min(...expiries, Number.MAX_SAFE_INTEGER) };
  }

  async freeHoldSlot(seller: string, maxHolds: number, queueId: string, callerId: string, expiresAt?: number): Promise<boolean> {
    const slots = this.slots.get(seller) ?? [];
    const matches = (slot: HoldSlot | undefined) =>
      slot?.queueId === queueId && slot.callerId === callerId && (expiresAt === undefined || slot.expiresAt === expiresAt);
    const index = slots.slice(0, maxHolds).findIndex(matches);
    if (index < 0) return false;
    slots[index] = undefined;
    return true;
  }

  async lastTransfer(key: string): Promise<number | undefined> {
    return this.transfers.get(key);
  }

  async markTransfer(key: string, at: number, since: number): Promise<MarkOutcome> {
    const last = this.transfers.get(key);
    if (last !== undefined && last > since) return { marked: false, last };
    this.transfers.set(key, at);
    return last === undefined ? { marked: true } : { marked: true, previous: last };
  }

  async unmarkTransfer(key: string, at: number, previous: number | undefined): Promise<void> {
    if (this.transfers.get(key) !== at) return;
    if (previous === undefined) this.transfers.delete(key);
    else this.transfers.set(key, previous);
  }

  private stateOf(key: string): ReadState {
    let state = this.reads.get(key);
    if (!state) this.reads.set(key, (state = {}));
    return state;
  }
}
