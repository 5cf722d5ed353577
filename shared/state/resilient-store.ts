/**
 * The state store the runtime uses with a table: the DynamoDB store, never a single point of
 * failure (gate-contract.md section 6). Each call gets a budget (200 ms): past it the SDK call
 * is aborted and, like on any error, that call is answered by the container's memory store. A
 * failure opens a circuit (5 s) during which calls go straight to memory, so an outage costs
 * callers nothing; then one call probes the table, and its success closes the circuit.
 */
import { MemoryStore } from './memory-store';
import { type Hold, type HoldOutcome, type HoldSlot, type MarkOutcome, type Override, type ReadState, type SlotOutcome, type StateStore, type StoredFailure, type StoredReading, StateUnavailableError } from './store';

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

  constructor(options: ResilientStoreOptions) {
    this.primary = options.primary;
    this.kind = options.primary.kind;
    this.fallback = options.fallback ?? new MemoryStore();
    this.budgetMs = options.budgetMs ?? 200;
    this.circuitOpenMs = options.circuitOpenMs ?? 5_000;
    this.onUnavailable = options.onUnavailable ?? (() => undefined);
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? realTimer;
  }

  readState = (key: string): Promise<ReadState> => this.call((store) => store.readState(key));
  takeLease = (key: string, owner: string, now: number, leaseMs: number): Promise<boolean> => this.call((store) => store.takeLease(key, owner, now, leaseMs));
  putReading = (key: string, owner: string, reading: StoredReading): Promise<void> => this.call((store) => store.putReading(key, owner, reading));
  putFailure = (key: string, owner: string, failure: StoredFailure): Promise<void> => this.call((store) => store.putFailure(key, owner, failure));
  blockedUntil = (secret: string, now: number): Promise<number | undefined> => this.call((store) => store.blockedUntil(secret, now));
  block = (secret: string, until: number): Promise<void> => this.call((store) => store.block(secret, until));
  spendBudget = (secret: string, now: number, limit: number, calls?: number): Promise<boolean> => this.call((store) => store.spendBudget(secret, now, limit, calls));
  holds = (queueId: string, now: number): Promise<Hold[]> => this.call((store) => store.holds(queueId, now));
  placeHold = (queueId: string, hold: Hold, maxHolds: number, now: number): Promise<HoldOutcome> => this.call((store) => store.placeHold(queueId, hold, maxHolds, now));
  releaseHold = (queueId: string, callerName: string, callerId: string, now: number): Promise<boolean> => this.call((store) => store.releaseHold(queueId, callerName, callerId, now));
  getOverride = (queueId: string, now: number): Promise<Override | undefined> => this.call((store) => store.getOverride(queueId, now));
  putOverride = (queueId: string, override: Override): Promise<void> => this.call((store) => store.putOverride(queueId, override));
  deleteOverride = (queueId: string): Promise<boolean> => this.call((store) => store.deleteOverride(queueId));
  // A ping count is a rate, like a budget: the container's memory counts while the table fails.
  countPing = (key: string, limit: number, expiresAt: number, now: number): Promise<boolean> => this.call((store) => store.countPing(key, limit, expiresAt, now));
  // Limits and duplicate windows are promises to other callers: confirmed by the table or refused (`confirmed`).
  takeCount = (key: string, limit: number, expiresAt: number, now: number): Promise<boolean> => this.confirmed((store) => store.takeCount(key, limit, expiresAt, now));
  returnCount = (key: string, expiresAt: number): Promise<void> => this.confirmed((store) => store.returnCount(key, expiresAt));
  takeHoldSlot = (seller: string, maxHolds: number, hold: HoldSlot, now: number): Promise<SlotOutcome> => this.confirmed((store) => store.takeHoldSlot(seller, maxHolds, hold, now));
  freeHoldSlot = (seller: string, maxHolds: number, queueId: string, callerId: string): Promise<boolean> => this.confirmed((store) => store.freeHoldSlot(seller, maxHolds, queueId, callerId));
  lastTransfer = (key: string): Promise<number | undefined> => this.confirmed((store) => store.lastTransfer(key));
  markTransfer = (key: string, at: number, since: number, expiresAt: number): Promise<MarkOutcome> => this.confirmed((store) => store.markTransfer(key, at, since, expiresAt));
  unmarkTransfer = (key: string, at: number, previous: number | undefined): Promise<void> => this.confirmed((store) => store.unmarkTransfer(key, at, previous));

  /** True while calls skip the primary. */
  get circuitOpen(): boolean {
    return this.openUntil !== undefined && (this.probing || this.now() < this.openUntil);
  }

  private async call<T>(run: (store: StateStore) => Promise<T>): Promise<T> {
    const route = this.route();
    if (route === 'fallback') return run(this.fallback);
    try {
      const value = await this.withinBudget(run);
      // Only the probe closes the circuit: a call begun before a failure proves nothing after it.
      if (route === 'probe') this.close();
      return value;
    } catch (error) {
      this.trip(error);
      return run(this.fallback);
    }
  }

  /** The primary's answer, or StateUnavailableError: never the container's memory (a promise kept in one container is no promise). */
  private async confirmed<T>(run: (store: StateStore) => Promise<T>): Promise<T> {
    const route = this.route();
    if (route === 'fallback') throw new StateUnavailableError('the state store is unavailable (circuit open)');
    try {
      const value = await this.withinBudget(run);
      if (route === 'probe') this.close();
      return value;
    } catch (error) {
      this.trip(error);
      throw new StateUnavailableError('the state store did not confirm the write', { cause: error });
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
