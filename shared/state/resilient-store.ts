/**
 * The state store the runtime uses with a table: the DynamoDB store, never a single point of
 * failure (docs/on-call/when-things-fail.md). Each call gets a budget (200 ms): past it the SDK
 * call is aborted. Two kinds of calls fail differently:
 * - caches (readings, failures, leases, blocks, budgets) are then answered by the container's
 *   memory store, so an outage costs callers nothing;
 * - shared promises (holds, overrides) are never kept in one container's memory: they throw a
 *   StateUnavailableError, and the gate's policy decides (`onStoreError`, override 503s).
 * A failure opens a circuit (5 s) during which calls skip the table (caches go to memory,
 * promises throw at once); then one call probes the table, and its success closes the circuit.
 */
import { StateUnavailableError } from '../errors';
import { MemoryStore } from './memory-store';
import type { Hold, HoldOutcome, HoldSlot, MarkOutcome, Override, ReadState, SlotOutcome, StateStore, StoredFailure, StoredReading } from './store';

export { stateStoreUnavailableMetric, stateStoreUnavailableReporter } from './unavailable-reporter';

/** A store whose calls can be cut (the DynamoDB store: the signal goes to every SDK call). */
export interface AbortableStore extends StateStore {
  withSignal(signal: AbortSignal): StateStore;
}

/** Starts a timer; returns its cancel function. */
export type SetTimer = (callback: () => void, ms: number) => () => void;

export interface ResilientStoreOptions {
  primary: StateStore | AbortableStore;
  /** Default: a new MemoryStore (the container's own memory). */
  fallback?: StateStore;
  /** Default 200 ms. */
  budgetMs?: number;
  /** Default 5000 ms. */
  circuitOpenMs?: number;
  /** Called on every failure of the primary (timeouts included). */
  onUnavailable?: (error: unknown) => void;
  /**
   * A first call made at once without the budget (the table's client connecting: SDK load,
   * credentials, TLS), which calls wait for, at most `warmUpMs`, before their own budget starts:
   * a container's cold connection is not taken for an outage (docs/on-call/when-things-fail.md).
   */
  warmUp?: (primary: StateStore) => Promise<unknown>;
  /** Default 2000 ms. */
  warmUpMs?: number;
  now?: () => number;
  setTimer?: SetTimer;
}

/** The primary did not answer within its budget. */
export class StateStoreTimeoutError extends Error {
  override readonly name = 'StateStoreTimeoutError';
}

const realTimer: SetTimer = (callback, ms) => {
  const handle = setTimeout(callback, ms);
  return () => clearTimeout(handle);
};

function isAbortable(store: StateStore | AbortableStore): store is AbortableStore {
  return 'withSignal' in store && typeof store.withSignal === 'function';
}

export class ResilientStore implements StateStore {
  readonly kind: StateStore['kind'];
  readonly fallback: StateStore;
  private readonly primary: StateStore | AbortableStore;
  private readonly budgetMs: number;
  private readonly circuitOpenMs: number;
  private readonly onUnavailable: (error: unknown) => void;
  private readonly now: () => number;
  private readonly setTimer: SetTimer;
  /** Set while the circuit is open: calls before this instant go to the fallback. */
  private openUntil: number | undefined;
  private probing = false;
  /** While the warm-up runs: settles (never rejects) when it ends or after warmUpMs. */
  private warming: Promise<void> | undefined;

  constructor(options: ResilientStoreOptions) {
    this.primary = options.primary;
    this.kind = options.primary.kind;
    this.fallback = options.fallback ?? new MemoryStore();
    this.budgetMs = options.budgetMs ?? 200;
    this.circuitOpenMs = options.circuitOpenMs ?? 5_000;
    this.onUnavailable = options.onUnavailable ?? (() => undefined);
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? realTimer;
    if (options.warmUp) this.startWarmUp(options.warmUp, options.warmUpMs ?? 2_000);
  }

  private startWarmUp(warmUp: (primary: StateStore) => Promise<unknown>, warmUpMs: number): void {
    let cancel = () => {};
    const cap = new Promise<void>((resolve) => {
      cancel = this.setTimer(resolve, warmUpMs);
    });
    const done = warmUp(this.primary).then(
      () => undefined,
      () => undefined,
    );
    this.warming = Promise.race([done, cap]).then(() => {
      cancel();
      this.warming = undefined;
    });
  }

  // Caches: memory answers when the table cannot.
  readState = (key: string): Promise<ReadState> => this.call((store) => store.readState(key));
  takeLease = (key: string, owner: string, now: number, leaseMs: number): Promise<ReadState | undefined> =>
    this.call((store) => store.takeLease(key, owner, now, leaseMs));
  putReading = (key: string, owner: string, reading: StoredReading): Promise<void> => this.call((store) => store.putReading(key, owner, reading));
  putFailure = (key: string, owner: string, failure: StoredFailure): Promise<void> => this.call((store) => store.putFailure(key, owner, failure));
  blockedUntil = (secret: string, now: number): Promise<number | undefined> => this.call((store) => store.blockedUntil(secret, now));
  block = (secret: string, until: number): Promise<void> => this.call((store) => store.block(secret, until));
  spendBudget = (secret: string, now: number, limit: number, calls?: number): Promise<boolean> =>
    this.call((store) => store.spendBudget(secret, now, limit, calls));
  // Shared promises: the table or a StateUnavailableError, never memory.
  holds = (queueId: string, now: number): Promise<Hold[]> => this.promised((store) => store.holds(queueId, now));
  placeHold = (queueId: string, hold: Hold, maxHolds: number, now: number): Promise<HoldOutcome> =>
    this.promised((store) => store.placeHold(queueId, hold, maxHolds, now));
  releaseHold = (queueId: string, callerName: string, callerId: string, now: number): Promise<boolean> =>
    this.promised((store) => store.releaseHold(queueId, callerName, callerId, now));
  getOverride = (queueId: string, now: number): Promise<Override | undefined> => this.promised((store) => store.getOverride(queueId, now));
  putOverride = (queueId: string, override: Override): Promise<void> => this.promised((store) => store.putOverride(queueId, override));
  deleteOverride = (queueId: string): Promise<boolean> => this.promised((store) => store.deleteOverride(queueId));
  // docs/operators/limits.md: limits and duplicate windows are shared promises too.
  takeCount = (key: string, limit: number, expiresAt: number, now: number): Promise<boolean> =>
    this.promised((store) => store.takeCount(key, limit, expiresAt, now));
  returnCount = (key: string, expiresAt: number): Promise<void> => this.promised((store) => store.returnCount(key, expiresAt));
  readCount = (key: string, now: number): Promise<number> => this.promised((store) => store.readCount(key, now));
  takeHoldSlot = (seller: string, maxHolds: number, hold: HoldSlot, now: number): Promise<SlotOutcome> =>
    this.promised((store) => store.takeHoldSlot(seller, maxHolds, hold, now));
  freeHoldSlot = (seller: string, maxHolds: number, queueId: string, callerId: string, expiresAt?: number): Promise<boolean> =>
    this.promised((store) => store.freeHoldSlot(seller, maxHolds, queueId, callerId, expiresAt));
  lastTransfer = (key: string): Promise<number | undefined> => this.promised((store) => store.lastTransfer(key));
  markTransfer = (key: string, at: number, since: number, expiresAt: number): Promise<MarkOutcome> =>
    this.promised((store) => store.markTransfer(key, at, since, expiresAt));
  unmarkTransfer = (key: string, at: number, previous: number | undefined): Promise<void> => this.promised((store) => store.unmarkTransfer(key, at, previous));
  // A ping count is a rate, like a budget: the container's memory counts while the table fails, never a refusal for that.
  countPing = (key: string, limit: number, expiresAt: number, now: number): Promise<boolean> =>
    this.call((store) => store.countPing(key, limit, expiresAt, now));

  /** True while calls skip the primary. */
  get circuitOpen(): boolean {
    return this.openUntil !== undefined && (this.probing || this.now() < this.openUntil);
  }

  /** A cache call: the primary within its budget, else the fallback (memory). */
  private async call<T>(run: (store: StateStore) => Promise<T>): Promise<T> {
    try {
      return await this.primaryOnly(run);
    } catch {
      return run(this.fallback);
    }
  }

  /** A shared-promise call: the primary within its budget, else a StateUnavailableError. */
  private async promised<T>(run: (store: StateStore) => Promise<T>): Promise<T> {
    try {
      return await this.primaryOnly(run);
    } catch (error) {
      throw error instanceof StateUnavailableError ? error : new StateUnavailableError('the state store did not confirm in time', { cause: error });
    }
  }

  /** The primary, unless the circuit is open; any failure (a timeout included) trips it and is rethrown. */
  private async primaryOnly<T>(run: (store: StateStore) => Promise<T>): Promise<T> {
    if (this.warming) await this.warming;
    const route = this.route();
    if (route === 'fallback') throw new StateUnavailableError('the state store is unavailable (circuit open)');
    try {
      const value = await this.withinBudget(run);
      // Only the probe closes the circuit: a call begun before a failure proves nothing after it.
      if (route === 'probe') this.close();
      return value;
    } catch (error) {
      this.trip(error);
      throw error;
    }
  }

  private route(): 'primary' | 'probe' | 'fallback' {
    if (this.openUntil === undefined) return 'primary';
    if (this.probing || this.now() < this.openUntil) return 'fallback';
    this.probing = true;
    return 'probe';
  }

  private async withinBudget<T>(run: (store: StateStore) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let cancel = () => {};
    const timeout = new Promise<never>((_, reject) => {
      cancel = this.setTimer(() => {
        const error = new StateStoreTimeoutError(`state store did not answer within ${this.budgetMs} ms`);
        controller.abort(error);
        reject(error);
      }, this.budgetMs);
    });
    const attempt = run(isAbortable(this.primary) ? this.primary.withSignal(controller.signal) : this.primary);
    // The race may settle first; a late rejection of the cut call must not go unhandled.
    attempt.catch(() => undefined);
    try {
      return await Promise.race([attempt, timeout]);
    } finally {
      cancel();
    }
  }

  private trip(error: unknown): void {
    this.openUntil = this.now() + this.circuitOpenMs;
    this.probing = false;
    try {
      this.onUnavailable(error);
    } catch {
      // Reporting must never turn a fallback answer into a failure.
    }
  }

  private close(): void {
    this.openUntil = undefined;
    this.probing = false;
  }
}
