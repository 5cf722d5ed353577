/** The scheduled check entry point (EventBridge Scheduler): middleware wiring only; the logic is in shared/scheduled. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { logger } from '../../shared/logger';
import { type Runtime, defaultRuntime } from '../../shared/runtime';
import { type CheckAllSummary, checkAllQueues } from '../../shared/scheduled/check-all';
import { metricsNamespace, metricsServiceName } from '../../shared/scheduled/metric-names';

export const metrics = new Metrics({ namespace: metricsNamespace, serviceName: metricsServiceName });

export function createScheduledHandler(getRuntime: () => Runtime = defaultRuntime) {
  return middy<unknown, CheckAllSummary>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(() => checkAllQueues(getRuntime(), metrics));
}

export const handler = createScheduledHandler();
