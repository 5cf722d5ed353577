/**
 * Traffic in numbers (docs/on-call/traffic-metrics.md): every availability answer counted as
 * CloudWatch EMF (Powertools Metrics) by queue and by seller. Published per request, each
 * EMF object added and flushed in one synchronous step, so concurrent requests in one process
 * (the local server) never mix their metrics.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricDimensions, trafficMetricNames } from '../scheduled/metric-names';

export interface TrafficRecorder {
  /** One answer: `queue` is the queue (or route) id asked for, `seller` the caller's name. */
  answered(queue: string, seller: string, canTransfer: boolean, reason: string): void;
  /** A ping refused before any check (429 rate_limited): counted as a "no" with reason rate_limited. */
  rateLimited(queue: string, seller: string): void;
}

export function trafficRecorder(metrics: Metrics): TrafficRecorder {
  const answered = (queue: string, seller: string, canTransfer: boolean, reason: string) => {
    metrics.addDimensions({ [metricDimensions.queue]: queue });
    metrics.addDimensions({ [metricDimensions.seller]: seller });
    metrics.addMetric(trafficMetricNames.answers, MetricUnit.Count, 1);
    metrics.addMetric(trafficMetricNames.yesAnswers, MetricUnit.Count, canTransfer ? 1 : 0);
    metrics.publishStoredMetrics();
    if (canTransfer) return;
    // A second object: only refusals carry the reason, so a yes adds no [queue, reason] metric.
    metrics.addDimensions({ [metricDimensions.queue]: queue, [metricDimensions.reason]: reason });
    metrics.addDimensions({ [metricDimensions.seller]: seller, [metricDimensions.reason]: reason });
    metrics.addMetric(trafficMetricNames.refusals, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  };
  return { answered, rateLimited: (queue, seller) => answered(queue, seller, false, 'rate_limited') };
}
