/**
 * The read orchestration for one read key (docs/operators/shared-state.md#how-the-gate-reads-a-vendor): the
 * container's memory first, then the shared store; a failure in backoff or a blocked secret
 * answers without a call; otherwise one refresh lease across all containers, its holder reads the
 * vendor and the others wait for the holder's result. Concurrent checks of a key in one container
 * share one flight.
 *
 * Table round trips, one after another (docs/operators/shared-state.md#what-it-costs): a miss costs three, a fresh
 * reading not in memory one. (1) the key's state and its secret's block, read in parallel (the
 * gate reads the override beside them: `peek`); (2) the lease, one conditional write returning
 * the item it wrote, with the first vendor request's budget charge beside it; (3) after the
 * vendor call, the reading written and the lease released in one write.
 *
 * A check may give up waiting (a route's member cut off at the route's deadline: docs/callers/
 * routes-and-destinations.md) through an AbortSignal. When every check waiting for a flight has
 * given up, the flight stops: the vendor request is aborted, nothing is recorded as a failure, and
 * the lease it took is released for the next reader.
 */
import { randomUUID } from 'node:crypto';
import type { VendorError } from '../errors';
import type { ReadState, StateStore, StoredReading } from '../state/store';
import type { ReadResult } from './decide';
import { type Known, type RealBudget, answerFrom, merged, realBudget, resultSince } from './read-state';
import { type Flight, waitOrGiveUp } from './read-flights';
import { ReadAbandonedError, failureAfter, maxBlockMs, pollEveryMs, toVendorError, withTimeout } from './read-rules';

/** The vendor read a check made itself, for logs and metrics. */
export interface VendorRead {
  latencyMs: number;
  error?: VendorError;
}

export type ReadOutcome = ReadResult & { made?: VendorRead };

/** Vendor requests sent by one read (the gate's HTTP client counts them): none means no vendor call. */
export interface VendorCalls {
  sent: number;
}

export interface ReadSpec {
  /** `queue:<id>`, or a shared read's key. */
  key: string;
  /** The queue's limit key (its secret's name, or `amazon-connect:<region>`): blocks and budgets are per key. */
  secret: string;
  cacheTtlMs: number;
  timeoutMs: number;
  /** Reads the vendor within the time budget, counting the requests it sends; may throw anything. */
  fetch(signal: AbortSignal, deadline: number, calls: VendorCalls): Promise<Omit<StoredReading, 'checkedAt'>>;
  /** Pays the first vendor request ahead, beside the lease write (budget.ts); false: the budget is spent. */
  prepay?(): Promise<boolean>;
  /** Gives back a prepayment no request used. */
  refund?(): void;
}

/** The first round trip: the key's state and its secret's block. */
export interface Peek {
  state: ReadState;
  blockedUntil: number | undefined;
}

export interface ReaderDeps {
  store: StateStore;
  now: () => number;
  /** This container's lease-owner id. */
  owner?: string;
  pollMs?: number;
}

export class Reader {
  /** The container's copy of the last reading and failure per key: a fresh one needs no table read. */
  private readonly memory = new Map<string, Known>();
  private readonly flights = new Map<string, Flight>();
  private readonly peeks = new Map<string, Promise<Peek>>();
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

  /** True when a check of `key` now would need no table read of its own (memory answers, or it joins a flight). */
  settled(key: string, cacheTtlMs: number): boolean {
    return this.flights.has(key) || this.known(key, cacheTtlMs) !== undefined;
  }

  /** The first round trip, for `read` to continue from; concurrent peeks of a key share one. */
  peek(key: string, secret: string): Promise<Peek> {
    let peek = this.peeks.get(key);
    if (!peek) {
      const { store } = this.deps;
      const at = this.now();
      peek = Promise.all([store.readState(key), store.blockedUntil(secret, at)]).then(([state, blockedUntil]) => ({ state, blockedUntil }));
      this.peeks.set(key, peek);
      const forget = () => this.peeks.get(key) === peek && this.peeks.delete(key);
      peek.then(forget, forget);
    }
    return peek;
  }

  /**
   * `peeked`: the first round trip, when the caller already made it (see `peek`). `signal`: this
   * check may give up; it then answers a timeout at once (see the file comment).
   */
  async read(spec: ReadSpec, peeked?: Promise<Peek>, signal?: AbortSignal): Promise<ReadOutcome> {
    const known = answerFrom(this.memory.get(spec.key), spec.cacheTtlMs, this.now());
    if (known) return known;
    let flight = this.flights.get(spec.key);
    // Joiners answer the flight's result (a call this process had in flight), but the vendor read is the initiator's to report.
    const outcome = flight ? flight.outcome.then(({ made: _made, ...result }) => result) : (flight = this.startFlight(spec, peeked)).outcome;
    if (!signal) {
      flight.pinned = true;
      return outcome;
    }
    return waitOrGiveUp(flight, outcome, signal, () => this.abandoned(spec.key));
  }

  private startFlight(spec: ReadSpec, peeked: Promise<Peek> | undefined): Flight {
    const abandon = new AbortController();
    const outcome = this.readShared(spec, peeked ?? this.peek(spec.key, spec.secret), abandon.signal).finally(() => this.flights.delete(spec.key));
    const flight: Flight = { outcome, abandon, pinned: false, waiting: 0 };
    this.flights.set(spec.key, flight);
    return flight;
  }

  /** What a check that gave up answers: no answer in time, from nobody's call. */
  private abandoned(key: string): ReadOutcome {
    return { ok: false, kind: 'timeout', at: this.now(), lastGood: this.memory.get(key)?.reading, source: 'cache' };
  }

  private async readShared(spec: ReadSpec, peeked: Promise<Peek>, abandon: AbortSignal): Promise<ReadOutcome> {
    const started = this.now();
    const budget = realBudget(spec.timeoutMs);
    const { state: read, blockedUntil } = await peeked;
    const state = this.remember(spec.key, read);
    const known = answerFrom(state, spec.cacheTtlMs, started);
    if (known) return known;
    if (blockedUntil !== undefined && blockedUntil > started) {
      // Remembered in this container only, so that the block costs no table read per request.
      this.remember(spec.key, { failure: { kind: 'rate_limited', at: started, streak: state.failure?.streak ?? 0, retryAt: blockedUntil } });
      return { ok: false, kind: 'rate_limited', at: started, lastGood: state.reading, source: 'cache' };
    }
    return this.leaseOrWait(spec, started, budget, abandon);
  }

  private async leaseOrWait(spec: ReadSpec, started: number, budget: RealBudget, abandon: AbortSignal): Promise<ReadOutcome> {
    for (;;) {
      if (abandon.aborted) return this.abandoned(spec.key);
      const leaseMs = spec.timeoutMs + 1000;
      const [leased, paid] = await Promise.all([this.deps.store.takeLease(spec.key, this.owner, this.now(), leaseMs), spec.prepay?.() ?? true]);
      if (leased) return this.readAsHolder(spec, budget, leased, abandon);
      if (paid) spec.refund?.();
      const waited = await this.waitForHolder(spec, started, budget, abandon);
      if (waited !== 'lapsed') return waited;
    }
  }

  /** Polls the store for the holder's result; 'lapsed' when the holder's lease ran out without one. */
  private async waitForHolder(spec: ReadSpec, started: number, budget: RealBudget, abandon: AbortSignal): Promise<ReadOutcome | 'lapsed'> {
    for (;;) {
      if (abandon.aborted) return this.abandoned(spec.key);
      if (!(await budget.sleep(this.deps.pollMs ?? pollEveryMs))) {
        const lastGood = this.memory.get(spec.key)?.reading;
        return { ok: false, kind: 'timeout', at: this.now(), lastGood, source: 'cache' };
      }
      const now = this.now();
      const state = this.remember(spec.key, await this.deps.store.readState(spec.key));
      const answer = answerFrom(state, spec.cacheTtlMs, now) ?? resultSince(state, started);
      if (answer) return answer;
      if (!state.lease || state.lease.until <= now) return 'lapsed';
    }
  }

  /** `leased`: the key's state as the lease write left it. */
  private async readAsHolder(spec: ReadSpec, budget: RealBudget, leased: ReadState, abandon: AbortSignal): Promise<ReadOutcome> {
    const { store } = this.deps;
    // Another container may have written between our read and our lease: then no vendor call.
    const state = this.remember(spec.key, leased);
    const fresh = answerFrom(state, spec.cacheTtlMs, this.now());
    if (fresh) {
      spec.refund?.();
      // Rewriting what is there releases our lease.
      if (fresh.ok) await store.putReading(spec.key, this.owner, fresh.reading);
      else if (state.failure) await store.putFailure(spec.key, this.owner, state.failure);
      return fresh;
    }
    const startedAt = this.now();
    const calls: VendorCalls = { sent: 0 };
    try {
      const read = await withTimeout(budget.remainingMs(), startedAt, (signal, deadline) => spec.fetch(signal, deadline, calls), abandon);
      const reading: StoredReading = { ...read, checkedAt: this.now() };
      this.remember(spec.key, { reading });
      await store.putReading(spec.key, this.owner, reading);
      return { ok: true, reading, source: 'live', made: { latencyMs: this.now() - startedAt } };
    } catch (thrown) {
      if (thrown instanceof ReadAbandonedError) return this.releaseAbandoned(spec.key);
      const error = toVendorError(thrown);
      const at = this.now();
      const failure = failureAfter(state.failure, error.kind, at, spec.cacheTtlMs);
      this.remember(spec.key, { failure });
      const block = error.retryAfterMs ? store.block(spec.secret, at + Math.min(error.retryAfterMs, maxBlockMs)) : undefined;
      await Promise.all([block, store.putFailure(spec.key, this.owner, failure)]);
      // A read that sent no request (a spent budget, an unreadable secret) called no vendor.
      const source = calls.sent > 0 ? 'live' : 'cache';
      return { ok: false, kind: error.kind, at, lastGood: this.memory.get(spec.key)?.reading, source, made: { latencyMs: at - startedAt, error } };
    } finally {
      spec.refund?.();
    }
  }

  /**
   * Nobody waits for this read any more: nothing is recorded (the vendor did not fail), and the
   * lease is released for the next reader by taking it again for no time (it lapses at once).
   */
  private async releaseAbandoned(key: string): Promise<ReadOutcome> {
    await this.deps.store.takeLease(key, this.owner, this.now(), 0).catch(() => undefined);
    return this.abandoned(key);
  }

  /** Merges what was learnt into the container's memory: the newer reading, and a failure only if newer than it. */
  private remember(key: string, next: ReadState): ReadState {
    const known = merged(this.memory.get(key) ?? {}, next);
    this.memory.set(key, known);
    return { ...next, ...known };
  }
}
