/**
 * Counts in vendor answers: non-negative safe integers only. A vendor that answers 1e308 (or any
 * number past 2^53 - 1) sent an impossible body, which is `bad_payload`, never an Infinity or a
 * rounded count; a sum of counts must stay safe too.
 */
import * as z from 'zod/mini';
import '../zod-locale';

export const vendorCount = z.number().check(z.int(), z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));

/** True when the values are counts and their sum is still a safe integer. */
export function isSafeCountSum(values: readonly number[]): boolean {
  let sum = 0;
  for (const value of values) {
    if (!vendorCount.safeParse(value).success) return false;
    sum += value;
  }
  return Number.isSafeInteger(sum);
}
