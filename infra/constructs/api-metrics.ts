/**
 * The HTTP function's own count of requests refused for a missing or unknown key
 * (shared/api/unauthorized-metric.ts), as CloudWatch sees it: Powertools Metrics with the project
 * namespace and service name, no other dimension.
 */
import type { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { unauthorizedRequestsMetric } from '../../shared/api/unauthorized-metric';
import { metricDimensions, metricsNamespace, metricsServiceName } from '../../shared/scheduled/metric-names';

export function unauthorizedRequests(period: Duration, label?: string): Metric {
  return new Metric({
    namespace: metricsNamespace,
    metricName: unauthorizedRequestsMetric,
    dimensionsMap: { [metricDimensions.service]: metricsServiceName },
    statistic: 'Sum',
    period,
    label,
  });
}
