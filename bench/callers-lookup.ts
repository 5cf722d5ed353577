/** Caller lookup cost against the number of callers: what one request pays to find its caller. */
import { performance } from 'node:perf_hooks';
import { findCaller, hashKey, parseCallers } from '../shared/callers';

export interface CallersResult {
  callers: number;
  microsecondsPerLookup: number;
}

function timeLookups(count: number, iterations: number): CallersResult {
  const secret = { callers: Array.from({ length: count }, (_, index) => ({ name: `caller-${index}`, keySha256: hashKey(`key-${index}`), queues: ['*'] })) };
  const callers = parseCallers(secret, 'bench/callers');
  // The worst case for a linear scan: the last caller's key.
  const key = `key-${count - 1}`;
  for (let index = 0; index < 200; index += 1) findCaller(callers, key);
  const started = performance.now();
  for (let index = 0; index < iterations; index += 1) {
    if (!findCaller(callers, key)) throw new Error('lookup failed');
  }
  return { callers: count, microsecondsPerLookup: Math.round(((performance.now() - started) * 1000 * 100) / iterations) / 100 };
}

export function measureCallerLookup(): CallersResult[] {
  return [10, 1_000, 10_000].map((count) => timeLookups(count, count >= 10_000 ? 500 : 5_000));
}
