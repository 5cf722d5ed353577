/**
 * The state store's health as CloudWatch sees it: the functions' own EMF count of calls the table
 * failed (each one answered from the container's memory instead), and the table's throttles,
 * system errors and latency per operation the store sends.
 */
import type { Duration } from 'aws-cdk-lib';
import { type IMetric, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { metricDimensions, metricsNamespace, metricsServiceName } from '../../shared/scheduled/metric-names';
import { stateStoreUnavailableMetric } from '../../shared/state/unavailable-reporter';

/**
 * `StateStoreUnavailable` as the runtime's reporter publishes it: Powertools Metrics with the
 * project namespace and service name, no other dimension. `label` is for graphs only.
 */
export function stateStoreUnavailable(period: Duration, label?: string): Metric {
  return new Metric({
    namespace: metricsNamespace,
    metricName: stateStoreUnavailableMetric,
    dimensionsMap: { [metricDimensions.service]: metricsServiceName },
    statistic: 'Sum',
    period,
    label,
  });
}

/** The operations shared/state/dynamodb-store.ts sends (see stateTableActions). */
const storeOperations = [Operation.GET_ITEM, Operation.PUT_ITEM, Operation.UPDATE_ITEM, Operation.DELETE_ITEM];

/** Each a sum over the operations (math expressions whose metric ids clash: one graph each). */
export function stateTableThrottles(table: Table): IMetric {
  return table.metricThrottledRequestsForOperations({ operations: storeOperations, label: 'throttled requests' });
}

export function stateTableSystemErrors(table: Table): IMetric {
  return table.metricSystemErrorsForOperations({ operations: storeOperations, label: 'system errors' });
}

export function stateTableLatency(table: Table): IMetric[] {
  return storeOperations.map((operation) =>
    table.metricSuccessfulRequestLatency({ dimensionsMap: { TableName: table.tableName, Operation: operation }, statistic: 'p99', label: `${operation} p99` }),
  );
}
