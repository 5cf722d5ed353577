/** The scheduled check entry point (EventBridge Scheduler): middleware wiring only; the logic is in shared/scheduled. */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { withRequestScope } from '../../shared/logger';
import { type Runtime, defaultRuntime } from '../../shared/runtime';
import { type CheckAllSummary, checkAllQueues } from '../../shared/scheduled/check-all';
import { metricsNamespace, metricsServiceName } from '../../shared/scheduled/metric-names';

export const metrics = new Metrics({ namespace: metricsNamespace, serviceName: metricsServiceName });

export function createScheduledHandler(getRuntime: () => Runtime = defaultRuntime) {
  return withRequestScope(
    middy<unknown, CheckAllSummary>()
      .use(logMetrics(metrics))
      .handler(() => checkAllQueues(getRuntime(), metrics)),
  );
}

export const handler = createScheduledHandler();
