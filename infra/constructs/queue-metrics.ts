/**
 * The scheduled check's EMF metrics as CloudWatch metric objects, with the exact dimensions the
 * function publishes (shared/scheduled), for the dashboard and the alarms.
 */
import type { Duration } from 'aws-cdk-lib';
import { Metric, SearchExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { metricDimensions, metricsNamespace, metricsServiceName, queueMetricNames } from '../../shared/scheduled/metric-names';

type QueueMetricName = (typeof queueMetricNames)[keyof typeof queueMetricNames];

/** `label` is for graphs; alarms leave it out so that they are plain single-metric alarms. */
export function queueMetric(queueId: string, metricName: QueueMetricName, statistic: string, period: Duration, label?: string): Metric {
  return new Metric({
    namespace: metricsNamespace,
    metricName,
    dimensionsMap: { [metricDimensions.service]: metricsServiceName, [metricDimensions.queue]: queueId },
    statistic,
    period,
    label,
  });
}

/** One line per error kind the queue has had; kinds appear as they happen. */
export function queueErrorsByKind(queueId: string, period: Duration): SearchExpression {
  const { service, queue, kind } = metricDimensions;
  const schema = `{${metricsNamespace},${service},${queue},${kind}}`;
  return new SearchExpression({
    expression:
      `SEARCH('${schema} MetricName="${queueMetricNames.vendorErrors}" ${service}="${metricsServiceName}" ${queue}="${queueId}"', ` +
      `'Sum', ${period.toSeconds()})`,
    label: `${queueId} errors by kind`,
    period,
  });
}
