/**
 * The scheduled check's route lines (docs/callers/routes-and-destinations.md): per route, how
 * many of its members could take a call, from the answers its members gave in the same run (no
 * vendor call of its own, no hold placed), as one log line and one EMF object with the route as
 * its dimension. The queue lines and metrics are unchanged.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { GateRoute } from '../config/gate-config';
import { logger } from '../logger';
import { metricDimensions, routeMetricNames } from './metric-names';

/** Each member's answer in this run: true when it could take a call; absent when its check failed. */
export type MemberAnswers = ReadonlyMap<string, boolean>;

export function reportRoutes(routes: Iterable<GateRoute>, members: MemberAnswers, metrics: Metrics): number {
  let count = 0;
  for (const route of routes) {
    const available = route.queues.filter((queue) => members.get(queue) === true);
    logger.info('scheduled route check', {
      route: route.id,
      members: route.queues.length,
      membersAvailable: available.length,
      canTransfer: available.length > 0,
      available,
    });
    metrics.addDimension(metricDimensions.route, route.id);
    metrics.addMetric(routeMetricNames.membersAvailable, MetricUnit.Count, available.length);
    metrics.addMetric(routeMetricNames.canTransfer, MetricUnit.Count, available.length > 0 ? 1 : 0);
    metrics.publishStoredMetrics();
    count += 1;
  }
  return count;
}
