/**
 * How many queues the scheduled check reads at once. Each read still goes through the gate, so
 * the vendor budgets and shared reads apply as for a caller; the bound keeps a large config
 * (hundreds of queues) from opening every vendor connection in one burst at the top of the minute.
 * SCHEDULED_CHECK_CONCURRENCY overrides the default: a whole number from 1 to 64, set by the
 * stack from the `scheduledCheckConcurrency` setting (docs/operators/settings.md).
 */
export const defaultScheduledCheckConcurrency = 8;
export const scheduledCheckConcurrencyVariable = 'SCHEDULED_CHECK_CONCURRENCY';
export const maxScheduledCheckConcurrency = 64;

export function scheduledCheckConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[scheduledCheckConcurrencyVariable]?.trim();
  if (!raw) return defaultScheduledCheckConcurrency;
  const value = Number(raw);
  // A typo must not stop the check: it falls back to the default rather than throwing.
  return /^\d+$/.test(raw) && value >= 1 && value <= maxScheduledCheckConcurrency ? value : defaultScheduledCheckConcurrency;
}
