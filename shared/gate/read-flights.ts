/**
 * Giving up on a read (docs/callers/routes-and-destinations.md: a route's member cut off at the
 * route's deadline). A read in flight in this container may have several checks waiting for it;
 * a check that passed an AbortSignal may stop waiting, and when every waiting check has given up
 * (and none waits without a signal), the flight's own signal aborts it (read.ts then releases its
 * lease and records nothing).
 */
import type { ReadOutcome } from './read';

/** One read in flight in this container, and who waits for it. */
export interface Flight {
  outcome: Promise<ReadOutcome>;
  /** Aborted once every check waiting for the flight has given up. */
  abandon: AbortController;
  /** A check that cannot give up (no signal) waits for it: the flight runs to its end. */
  pinned: boolean;
  /** Checks with a signal still waiting. */
  waiting: number;
}

/** `outcome` (the flight's, as this check reads it), or `abandoned()` as soon as `signal` aborts. */
export function waitOrGiveUp(flight: Flight, outcome: Promise<ReadOutcome>, signal: AbortSignal, abandoned: () => ReadOutcome): Promise<ReadOutcome> {
  flight.waiting += 1;
  return new Promise<ReadOutcome>((resolve, reject) => {
    const giveUp = () => {
      flight.waiting -= 1;
      if (!flight.pinned && flight.waiting === 0) flight.abandon.abort();
      resolve(abandoned());
    };
    if (signal.aborted) return giveUp();
    signal.addEventListener('abort', giveUp, { once: true });
    const settle = () => {
      signal.removeEventListener('abort', giveUp);
      if (!signal.aborted) flight.waiting -= 1;
    };
    outcome.then(
      (result) => (settle(), resolve(result)),
      (error: unknown) => (settle(), reject(error)),
    );
  });
}
