/**
 * The scheduled check (docs/on-call/dashboard.md#the-scheduled-check): every queue checked through the same gate the
 * callers use, one structured log line and one set of metrics per queue. Vendor failures are
 * measured, not raised; only a failure of the gate itself fails the run (and so the Lambda
 * invocation, which is what the "scheduled check failures" alarm watches). Then one line and one
 * set of metrics per route, from its members' answers in this run (route-metrics.ts).
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { mapWithConcurrency } from '../concurrency';
import type { GateQueue } from '../config/gate-config';
import { ScheduledCheckError } from '../errors';
import { logger } from '../logger';
import type { Runtime } from '../runtime';
import { checkCall } from '../check/check-call';
import { scheduledCheckConcurrency } from './check-concurrency';
import { runMetricNames } from './metric-names';
import { publishQueueMetrics } from './queue-metrics';
import { reportRoutes } from './route-metrics';

/** The name every log line of the scheduled check carries as its caller. */
export const scheduledCallerName = 'scheduled-check';

export interface CheckAllSummary {
  queues: number;
  /** Present when the config has routes (their lines come after the queues'). */
  routes?: number;
  canTransfer: number;
  vendorErrors: number;
  failures: number;
}

export async function checkAllQueues(runtime: Runtime, metrics: Metrics): Promise<CheckAllSummary> {
  logger.addRequestKeys({ caller: scheduledCallerName });
  const queues = [...runtime.config.queues.values()];
  // A bounded number at once (check-concurrency.ts); each queue has its own time budget.
  const checks = await mapWithConcurrency(queues, scheduledCheckConcurrency(), (queue) => checkQueue(runtime, queue, metrics));
  const outcomes = checks.map((check) => check.outcome);
  const members = new Map(queues.flatMap((queue, index) => (checks[index]!.outcome === 'failed' ? [] : [[queue.id, checks[index]!.canTransfer] as const])));
  const routes = reportRoutes(runtime.config.routes.values(), members, metrics);
  const summary: CheckAllSummary = {
    queues: queues.length,
    ...(routes > 0 && { routes }),
    canTransfer: outcomes.filter((outcome) => outcome === 'can_transfer').length,
    vendorErrors: outcomes.filter((outcome) => outcome === 'vendor_error').length,
    failures: outcomes.filter((outcome) => outcome === 'failed').length,
  };
  metrics.addMetric(runMetricNames.queuesChecked, MetricUnit.Count, summary.queues);
  metrics.addMetric(runMetricNames.checkFailures, MetricUnit.Count, summary.failures);
  logger.info('scheduled check done', { ...summary });
  if (summary.failures > 0) throw new ScheduledCheckError(`${summary.failures} of ${summary.queues} queue checks failed inside the gate`);
  return summary;
}

type QueueOutcome = 'can_transfer' | 'cannot_transfer' | 'vendor_error' | 'failed';

async function checkQueue(runtime: Runtime, queue: GateQueue, metrics: Metrics): Promise<{ outcome: QueueOutcome; canTransfer: boolean }> {
  try {
    // The read's latency and error come with the check itself: none when answered from a reading.
    const { decision, read } = await checkCall(runtime, { queue });
    publishQueueMetrics(metrics, decision, read);
    logger.info('scheduled check', {
      queue: queue.id,
      vendor: queue.vendor,
      canTransfer: decision.canTransfer,
      reason: decision.reason,
      availableAgents: decision.availableAgents,
      source: decision.source,
      vendorError: decision.vendorError,
      latencyMs: read?.latencyMs,
      // A closed queue (docs/operators/hours-and-overrides.md) is reported as closed (reason "closed"), its vendor not called.
      closedBy: decision.closedBy,
      opensAt: decision.opensAt,
    });
    const { canTransfer } = decision;
    if (decision.vendorError) return { outcome: 'vendor_error', canTransfer };
    return { outcome: canTransfer ? 'can_transfer' : 'cannot_transfer', canTransfer };
  } catch (error) {
    logger.error('scheduled check failed', { queue: queue.id, vendor: queue.vendor, errorName: (error as Error)?.name, detail: (error as Error)?.message });
    return { outcome: 'failed', canTransfer: false };
  }
}
