/**
 * What the runtime does when the state table fails: one "state store unavailable" log line per
 * minute at most (with how many failures it stands for), and a CloudWatch metric per failure
 * (EMF, Powertools Metrics) that the alarm watches. The caller builds the Metrics object with
 * the project's namespace (shared/scheduled/metric-names.ts): this layer does not import it.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const stateStoreUnavailableMetric = 'StateStoreUnavailable';

/** The slice of Powertools Logger this needs. */
export interface WarnLogger {
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface UnavailableReporterOptions {
  logger: WarnLogger;
  metrics?: Metrics;
  now?: () => number;
  /** Default one minute. */
  logIntervalMs?: number;
}

/** Name and a bounded message: AWS errors name the table or role at most, never a secret value. */
function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message.slice(0, 200) };
  return { name: typeof error, message: String(error).slice(0, 200) };
}

export function stateStoreUnavailableReporter({
  logger,
  metrics,
  now = Date.now,
  logIntervalMs = 60_000,
}: UnavailableReporterOptions): (error: unknown) => void {
  let lastLoggedAt: number | undefined;
  let unlogged = 0;
  return (error) => {
    unlogged += 1;
    if (metrics) {
      metrics.addMetric(stateStoreUnavailableMetric, MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    }
    const at = now();
    if (lastLoggedAt !== undefined && at - lastLoggedAt < logIntervalMs) return;
    logger.warn('state store unavailable', { failures: unlogged, error: describeError(error) });
    lastLoggedAt = at;
    unlogged = 0;
  };
}
