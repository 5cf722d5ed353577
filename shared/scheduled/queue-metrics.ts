/**
 * One queue's check as CloudWatch metrics (Powertools Metrics, EMF). Each queue is published as
 * its own EMF object because EMF gives every metric in an object the same dimensions, and these
 * carry the queue (and, for errors by kind, the error kind) as a dimension.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Decision, VendorRead } from '../gate';
import { metricDimensions, queueMetricNames } from './metric-names';

export function publishQueueMetrics(metrics: Metrics, decision: Decision, read: VendorRead | undefined): void {
  metrics.addDimension(metricDimensions.queue, decision.queue);
  if (decision.availableAgents !== null) metrics.addMetric(queueMetricNames.availableAgents, MetricUnit.Count, decision.availableAgents);
  metrics.addMetric(queueMetricNames.canTransfer, MetricUnit.Count, decision.canTransfer ? 1 : 0);
  // Section 8: a closed queue called no vendor, so it has no latency and no VendorErrors (its alarm stays quiet).
  metrics.addMetric(queueMetricNames.closed, MetricUnit.Count, decision.reason === 'closed' ? 1 : 0);
  if (read) metrics.addMetric(queueMetricNames.vendorLatency, MetricUnit.Milliseconds, read.latencyMs);
  const errorKind = vendorErrorKind(decision, read);
  // A cached answer asked no vendor: it is neither a success nor a failure of the vendor.
  if (read || errorKind) metrics.addMetric(queueMetricNames.vendorErrors, MetricUnit.Count, errorKind ? 1 : 0);
  metrics.publishStoredMetrics();

  if (!errorKind) return;
  metrics.addDimensions({ [metricDimensions.queue]: decision.queue, [metricDimensions.kind]: errorKind });
  metrics.addMetric(queueMetricNames.vendorErrors, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

/**
 * The read's own error when the vendor was called; otherwise the decision's, which covers a call
 * the gate skipped (a Retry-After not yet passed, a backoff: `source` cache, no read reported).
 */
export function vendorErrorKind(decision: Decision, read: VendorRead | undefined): string | undefined {
  if (read) return read.error?.kind;
  return decision.vendorError;
}
