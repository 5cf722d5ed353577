/**
 * The read orchestration for one read key (gate-contract.md section 6): the container's memory
 * first, then the shared store; a failure in backoff or a blocked secret answers without a
 * call; otherwise one refresh lease across all containers, its holder reads the vendor and the
 * others wait for the holder's result. Concurrent checks of a key in one container share one flight.
 */
import { randomUUID } from 'node:crypto';
import { VendorError } from '../errors';
import type { ReadState, StateStore, StoredReading } from '../state/store';
import type { ReadResult } from './decide';
import { failureAfter, maxBlockMs, pollEveryMs, toVendorError, withTimeout } from './read-rules';

/** The vendor read a check made itself, for logs and metrics. */
export interface VendorRead {
  latencyMs: number;
  error?: VendorError;
}

export type ReadOutcome = ReadResult & { made?: VendorRead };

export interface ReadSpec {
  /** `queue:<id>`, or a shared read's key. */
  key: string;
  /** The queue's limit key (its secret's name, or `amazon-connect:<region>`): blocks and budgets are per key. */
  secret: string;
  cacheTtlMs: number;
  timeoutMs: number;
  /** Reads the vendor within the time budget; may throw anything. */
  fetch(signal: AbortSignal, deadline: number): Promise<Omit<StoredReading, 'checkedAt'>>;
}

export interface ReaderDeps {
  store: StateStore;
  now: () => number;
  /** This container's lease-owner id. */
  owner?: string;
  pollMs?: number;
}

type Known = Pick<ReadState, 'reading' | 'failure'>;

export class Reader {
  /** The container's copy of the last reading and failure per key: a fresh one needs no table read. */
  private readonly memory = new Map<string, Known>();
  private readonly flights = new Map<string, Promise<ReadOutcome>>();
  private readonly now: () => number;
  readonly owner: string;

  constructor(private readonly deps: ReaderDeps) {
    this.now = deps.now;
    this.owner = deps.owner ?? randomUUID();
  }

  /** What the container's memory answers for `key` now (a fresh reading, a failure in backoff), without a promise. */
  known(key: string, cacheTtlMs: number): ReadOutcome | undefined {
    return answerFrom(this.memory.get(key), cacheTtlMs, this.now());
  }

  async read(spec: ReadSpec): Promise<ReadOutcome> {
    const known = answerFrom(this.memory.get(spec.key), spec.cacheTtlMs, this.now());
    if (known) return known;
    const shared = this.flights.get(spec.key);
    // Joiners answer the flight's result, but the vendor read is the initiator's to report.
    if (shared) return shared.then(({ made: _made, ...result }) => result);
    const flight = this.readShared(spec).finally(() => this.flights.delete(spec.key));
    this.flights.set(spec.key, flight);
    return flight;
  }

  private async readShared(spec: ReadSpec): Promise<ReadOutcome> {
    const started = this.now();
    const budget = realBudget(spec.timeoutMs);
    const state = this.remember(spec.key, await this.deps.store.readState(spec.key));
    const known = answerFrom(state, spec.cacheTtlMs, started);
    if (known) return known;
    const blockedUntil = await this.deps.store.blockedUntil(spec.secret, started);
    if (blockedUntil !== undefined) {
      // Remembered in this container only, so that the block costs no table read per request.
      this.remember(spec.key, { failure: { kind: 'rate_limited', at: started, streak: state.failure?.streak ?? 0, retryAt: blockedUntil } });
      return { ok: false, kind: 'rate_limited', at: started, lastGood: state.reading };
    }
    return this.leaseOrWait(spec, started, budget);
  }

  private async leaseOrWait(spec: ReadSpec, started: number, budget: RealBudget): Promise<ReadOutcome> {
    for (;;) {
      const leaseMs = spec.timeoutMs + 1000;
      if (await this.deps.store.takeLease(spec.key, this.owner, this.now(), leaseMs)) return this.readAsHolder(spec, budget);
      const waited = await this.waitForHolder(spec, started, budget);
      if (waited !== 'lapsed') return waited;
    }
  }

  /** Polls the store for the holder's result; 'lapsed' when the holder's lease ran out without one. */
  private async waitForHolder(spec: ReadSpec, started: number, budget: RealBudget): Promise<ReadOutcome | 'lapsed'> {
    for (;;) {
      if (!(await budget.sleep(this.deps.pollMs ?? pollEveryMs))) {
        const lastGood = this.memory.get(spec.key)?.reading;
        return { ok: false, kind: 'timeout', at: this.now(), lastGood };
      }
      const now = this.now();
      const state = this.remember(spec.key, await this.deps.store.readState(spec.key));
      const answer = answerFrom(state, spec.cacheTtlMs, now) ?? resultSince(state, started);
      if (answer) return answer;
      if (!state.lease || state.lease.until <= now) return 'lapsed';
    }
  }

  private async readAsHolder(spec: ReadSpec, budget: RealBudget): Promise<ReadOutcome> {
    const { store } = this.deps;
    // Another container may have written between our read and our lease: then no vendor call.
    const state = this.remember(spec.key, await store.readState(spec.key));
    const fresh = answerFrom(state, spec.cacheTtlMs, this.now());
    if (fresh) {
      // Rewriting what is there releases our lease.
      if (fresh.ok) await store.putReading(spec.key, this.owner, fresh.reading);
      else if (state.failure) await store.putFailure(spec.key, this.owner, state.failure);
      return fresh;
    }
    const startedAt = this.now();
    try {
      const read = await withTimeout(budget.remainingMs(), startedAt, (signal, deadline) => spec.fetch(signal, deadline));
      const reading: StoredReading = { ...read, checkedAt: this.now() };
      this.remember(spec.key, { reading });
      await store.putReading(spec.key, this.owner, reading);
      return { ok: true, reading, source: 'live', made: { latencyMs: this.now() - startedAt } };
    } catch (thrown) {
      const error = toVendorError(thrown);
      const at = this.now();
      if (error.retryAfterMs) await store.block(spec.secret, at + Math.min(error.retryAfterMs, maxBlockMs));
      const failure = failureAfter(state.failure, error.kind, at, spec.cacheTtlMs);
      this.remember(spec.key, { failure });
      await store.putFailure(spec.key, this.owner, failure);
      return { ok: false, kind: error.kind, at, lastGood: this.memory.get(spec.key)?.reading, made: { latencyMs: at - startedAt, error } };
    }
  }

  /** Merges what was learnt into the container's memory: the newer reading, and a failure only if newer than it. */
  private remember(key: string, next: ReadState): ReadState {
    const previous = this.memory.get(key) ?? {};
    const reading = newer(previous.reading, next.reading, (r) => r.checkedAt);
    const lastFailure = newer(previous.failure, next.failure, (f) => f.at);
    const failure = lastFailure && (!reading || lastFailure.at >= reading.checkedAt) ? lastFailure : undefined;
    const merged = { reading, failure };
    this.memory.set(key, merged);
    return { ...next, ...merged };
  }
}

/** A fresh reading (`cache`), or a failure still in backoff; undefined means the vendor may be read. */
function answerFrom(known: Known | undefined, cacheTtlMs: number, now: number): ReadOutcome | undefined {
  if (known?.reading && now - known.reading.checkedAt < cacheTtlMs) return { ok: true, reading: known.reading, source: 'cache' };
  const failure = known?.failure;
  if (failure && failure.retryAt > now) return { ok: false, kind: failure.kind, at: failure.at, lastGood: known.reading };
  return undefined;
}

/** The holder's result, if it was written after this waiter started (cacheTtlMs 0 has no "fresh"). */
function resultSince(state: Known, started: number): ReadOutcome | undefined {
  if (state.reading && state.reading.checkedAt >= started && !(state.failure && state.failure.at >= state.reading.checkedAt)) {
    return { ok: true, reading: state.reading, source: 'cache' };
  }
  const failure = state.failure;
  if (failure && failure.at >= started) return { ok: false, kind: failure.kind, at: failure.at, lastGood: state.reading };
  return undefined;
}

function newer<T>(a: T | undefined, b: T | undefined, time: (value: T) => number): T | undefined {
  if (!a) return b;
  if (!b) return a;
  return time(b) >= time(a) ? b : a;
}

interface RealBudget {
  remainingMs(): number;
  /** Resolves false when the budget would run out first. */
  sleep(ms: number): Promise<boolean>;
}

/** The caller's timeoutMs in real time (store calls included), whatever clock the gate was given. */
function realBudget(timeoutMs: number): RealBudget {
  const endsAt = performance.now() + timeoutMs;
  const remainingMs = () => Math.max(0, Math.ceil(endsAt - performance.now()));
  return {
    remainingMs,
    sleep(ms) {
      const left = remainingMs();
      return new Promise((resolve) => setTimeout(() => resolve(ms < left), Math.min(ms, left)));
    },
  };
}
