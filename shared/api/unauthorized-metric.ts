/**
 * Requests refused for a missing or unknown key, as a CloudWatch metric (EMF, Powertools
 * Metrics) that the UnauthorizedRequests alarm watches (docs/on-call/alarms.md): keyless floods
 * share the callers' throttle, so they must not go unnoticed. One EMF line per refusal, written at
 * once, like the StateStoreUnavailable metric: each request is one invocation.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricsNamespace, metricsServiceName } from '../scheduled/metric-names';

export const unauthorizedRequestsMetric = 'UnauthorizedRequests';

let defaultMetrics: Metrics | undefined;

/** `metrics`: default one instance per container, with the project namespace and service name only. */
export function countUnauthorizedRequest(metrics?: Metrics): void {
  const target = metrics ?? (defaultMetrics ??= new Metrics({ namespace: metricsNamespace, serviceName: metricsServiceName }));
  target.addMetric(unauthorizedRequestsMetric, MetricUnit.Count, 1);
  target.publishStoredMetrics();
}
