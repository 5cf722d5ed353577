/**
 * Traffic in numbers (docs/on-call/traffic-metrics.md): every availability answer counted as
 * CloudWatch EMF (Powertools Metrics) by queue and by seller. Published per request, each
 * EMF object added and flushed in one synchronous step, so concurrent requests in one process
 * (the local server) never mix their metrics.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricDimensions, metricsServiceName, trafficMetricNames } from '../scheduled/metric-names';

export interface TrafficRecorder {
  /** One answer: `queue` is the queue (or route) id asked for, `seller` the caller's name. */
  answered(queue: string, seller: string, canTransfer: boolean, reason: string): void;
  /** A ping refused before any check (429 rate_limited): counted as a "no" with reason rate_limited. */
  rateLimited(queue: string, seller: string): void;
}

/**
 * `answers` and `refusals` are two Metrics instances of the same namespace. Refusals carry the
 * reason in both of their dimension sets; as the refusals instance's default dimension (set anew
 * per refusal) it is one key, where two sets each naming it would make Powertools warn of a key
 * collision on every refusal.
 */
export function trafficRecorder(answers: Metrics, refusals: Metrics): TrafficRecorder {
  const answered = (queue: string, seller: string, canTransfer: boolean, reason: string) => {
    answers.addDimensions({ [metricDimensions.queue]: queue });
    answers.addDimensions({ [metricDimensions.seller]: seller });
    answers.addMetric(trafficMetricNames.answers, MetricUnit.Count, 1);
    answers.addMetric(trafficMetricNames.yesAnswers, MetricUnit.Count, canTransfer ? 1 : 0);
    answers.publishStoredMetrics();
    if (canTransfer) return;
    // A second object: only refusals carry the reason, so a yes adds no [queue, reason] metric.
    // Cleared and set whole (the service too, which clearing drops): setting a default dimension
    // that is already set makes Powertools warn on every refusal.
    refusals.clearDefaultDimensions();
    refusals.setDefaultDimensions({ service: metricsServiceName, [metricDimensions.reason]: reason });
    refusals.addDimensions({ [metricDimensions.queue]: queue });
    refusals.addDimensions({ [metricDimensions.seller]: seller });
    refusals.addMetric(trafficMetricNames.refusals, MetricUnit.Count, 1);
    refusals.publishStoredMetrics();
  };
  return { answered, rateLimited: (queue, seller) => answered(queue, seller, false, 'rate_limited') };
}
