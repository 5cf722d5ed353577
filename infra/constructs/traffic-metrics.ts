/**
 * The API's traffic metrics (docs/on-call/traffic-metrics.md) as CloudWatch metric objects, with
 * the exact dimensions the functions publish (shared/api/traffic-metrics.ts): per queue by name,
 * per seller by SEARCH (sellers live in the callers secret, not in the config the stack sees).
 */
import type { Duration } from 'aws-cdk-lib';
import { Metric, SearchExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { metricDimensions, metricsNamespace, metricsServiceName, trafficMetricNames } from '../../shared/scheduled/metric-names';

type TrafficMetricName = (typeof trafficMetricNames)[keyof typeof trafficMetricNames];

const { service, queue, seller, reason } = metricDimensions;

export function queueTrafficMetric(queueId: string, metricName: TrafficMetricName, period: Duration, label: string): Metric {
  return new Metric({
    namespace: metricsNamespace,
    metricName,
    dimensionsMap: { [service]: metricsServiceName, [queue]: queueId },
    statistic: 'Sum',
    period,
    label,
  });
}

function search(dimensions: readonly string[], metricName: TrafficMetricName, filter: string, period: Duration, label: string): SearchExpression {
  const schema = `{${metricsNamespace},${[service, ...dimensions].join(',')}}`;
  return new SearchExpression({
    expression: `SEARCH('${schema} MetricName="${metricName}" ${service}="${metricsServiceName}"${filter}', 'Sum', ${period.toSeconds()})`,
    label,
    period,
  });
}

/** One line per reason the queue refused for; reasons appear as they happen. */
export function queueRefusalsByReason(queueId: string, period: Duration): SearchExpression {
  return search([queue, reason], trafficMetricNames.refusals, ` ${queue}="${queueId}"`, period, `${queueId} refusals by reason`);
}

/** One line per seller (Answers or YesAnswers). */
export function sellersTraffic(metricName: TrafficMetricName, period: Duration): SearchExpression {
  return search([seller], metricName, '', period, `${metricName} by seller`);
}

/** One line per seller and reason. */
export function sellersRefusalsByReason(period: Duration): SearchExpression {
  return search([seller, reason], trafficMetricNames.refusals, '', period, 'refusals by seller and reason');
}
