/** The small rules of a read: backoff, block cap, poll period, time budget, error typing. */
import { SecretError, VendorError, type VendorErrorKind } from '../errors';
import type { StoredFailure } from '../state/store';

/** Honour a vendor's Retry-After (or Aircall's reset), but never lock a secret out for longer than this. */
export const maxBlockMs = 300_000;
/** How often a lease waiter looks for the holder's result. */
export const pollEveryMs = 25;
/** Failures in a row wait cacheTtlMs (at least 1 s), doubling each time, up to this. */
export const maxBackoffMs = 60_000;

/** The failure record after `kind` at `at`, counting the streak of failures in a row. */
export function failureAfter(previous: StoredFailure | undefined, kind: VendorErrorKind, at: number, cacheTtlMs: number): StoredFailure {
  const streak = (previous?.streak ?? 0) + 1;
  const waitMs = Math.min(maxBackoffMs, Math.max(1000, cacheTtlMs) * 2 ** (streak - 1));
  return { kind, at, streak, retryAt: at + waitMs };
}

/** A read given up by everyone waiting for it (a route's member cut off at its deadline): not a vendor failure. */
export class ReadAbandonedError extends Error {
  override name = 'ReadAbandonedError';
}

/**
 * The whole read (secret, token fetches, every page) ends within the budget, whatever an adapter
 * does; `abandon` ends it sooner, with a ReadAbandonedError, and aborts the adapter's signal too.
 */
export function withTimeout<T>(timeoutMs: number, now: number, run: (signal: AbortSignal, deadline: number) => Promise<T>, abandon?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const stop = (error: Error) => {
      reject(error);
      controller.abort();
    };
    const timer = setTimeout(() => stop(new VendorError('timeout', `vendor did not answer within ${timeoutMs} ms`)), timeoutMs);
    const onAbandon = () => stop(new ReadAbandonedError('the read was abandoned'));
    if (abandon?.aborted) onAbandon();
    abandon?.addEventListener('abort', onAbandon, { once: true });
    run(controller.signal, now + timeoutMs)
      .then(resolve, reject)
      .finally(() => {
        clearTimeout(timer);
        abandon?.removeEventListener('abort', onAbandon);
      });
  });
}

/** Anything an adapter throws becomes a typed vendor error; a bad secret reads as `auth`. */
export function toVendorError(thrown: unknown): VendorError {
  if (thrown instanceof VendorError) return thrown;
  if (thrown instanceof SecretError) return new VendorError('auth', thrown.message, { cause: thrown });
  return new VendorError('bad_payload', `unexpected ${(thrown as Error)?.name ?? 'error'} while reading the vendor`, { cause: thrown });
}
