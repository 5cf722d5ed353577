/**
 * What a read key's state answers without a vendor call (README, "How the gate reads a vendor"):
 * a fresh reading, a failure still in backoff, or the result a lease holder wrote for its waiters.
 * Every such answer made no vendor call, so its source is `cache`.
 */
import type { ReadState } from '../state/store';
import type { ReadResult } from './decide';

export type Known = Pick<ReadState, 'reading' | 'failure'>;

/** A fresh reading, or a failure still in backoff; undefined means the vendor may be read. */
export function answerFrom(known: Known | undefined, cacheTtlMs: number, now: number): ReadResult | undefined {
  if (known?.reading && now - known.reading.checkedAt < cacheTtlMs) return { ok: true, reading: known.reading, source: 'cache' };
  const failure = known?.failure;
  if (failure && failure.retryAt > now) return { ok: false, kind: failure.kind, at: failure.at, lastGood: known.reading, source: 'cache' };
  return undefined;
}

/** The holder's result, if it was written after this waiter started (cacheTtlMs 0 has no "fresh"). */
export function resultSince(state: Known, started: number): ReadResult | undefined {
  if (state.reading && state.reading.checkedAt >= started && !(state.failure && state.failure.at >= state.reading.checkedAt)) {
    return { ok: true, reading: state.reading, source: 'cache' };
  }
  const failure = state.failure;
  if (failure && failure.at >= started) return { ok: false, kind: failure.kind, at: failure.at, lastGood: state.reading, source: 'cache' };
  return undefined;
}

/** Merges what was learnt: the newer reading, and a failure only if newer than it. */
export function merged(previous: Known, next: Known): Known {
  const reading = newer(previous.reading, next.reading, (r) => r.checkedAt);
  const lastFailure = newer(previous.failure, next.failure, (f) => f.at);
  const failure = lastFailure && (!reading || lastFailure.at >= reading.checkedAt) ? lastFailure : undefined;
  return { reading, failure };
}

function newer<T>(a: T | undefined, b: T | undefined, time: (value: T) => number): T | undefined {
  if (!a) return b;
  if (!b) return a;
  return time(b) >= time(a) ? b : a;
}

export interface RealBudget {
  remainingMs(): number;
  /** Resolves false when the budget would run out first. */
  sleep(ms: number): Promise<boolean>;
}

/** The caller's timeoutMs in real time (store calls included), whatever clock the gate was given. */
export function realBudget(timeoutMs: number): RealBudget {
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
