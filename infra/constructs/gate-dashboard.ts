/**
 * One CloudWatch dashboard: the API (requests, 4xx, 5xx, latency), then a row per queue from the
 * scheduled check (available agents and can-transfer over time, vendor latency p50/p99, vendor
 * errors in total and by kind), then the functions and the check's dead-letter queue, then the
 * shared state store (calls it failed, the table's throttles, system errors and latency).
 */
import { Duration } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { Dashboard, GraphWidget, type IWidget, Row, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueMetricNames } from '../../shared/scheduled/metric-names';
import { queueErrorsByKind, queueMetric } from './queue-metrics';
import { stateStoreUnavailable, stateTableLatency, stateTableSystemErrors, stateTableThrottles } from './state-store-metrics';

export interface GateDashboardProps {
  /** Every queue id in gate.config.json, in config order. */
  readonly queueIds: readonly string[];
  /** The API stage callers use. */
  readonly stage: Stage;
  /** The gate's functions by the name shown on the dashboard. */
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly checkDeadLetterQueue: IQueue;
  /** The scheduled check's interval: the resolution of every queue graph. */
  readonly checkInterval: Duration;
  /** The shared state table. */
  readonly stateTable: Table;
}

const width = 8;
const latencySamplesPerPoint = 5;

export class GateDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: GateDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard');
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          `# transfer-gate\nQueue rows come from the scheduled check (every ${props.checkInterval.toHumanString()}); ` +
          'CanTransfer is 1 when the gate would let a transfer through.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(...apiWidgets(props.stage));
    for (const queueId of props.queueIds) this.dashboard.addWidgets(new Row(...queueWidgets(queueId, props.checkInterval)));
    this.dashboard.addWidgets(...functionWidgets(props.functions, props.checkDeadLetterQueue));
    this.dashboard.addWidgets(new Row(...stateStoreWidgets(props.stateTable)));
  }
}

function apiWidgets(stage: Stage): IWidget[] {
  return [
    new GraphWidget({ title: 'API requests', width, left: [stage.metricCount({ statistic: 'Sum', label: 'requests' })] }),
    new GraphWidget({
      title: 'API 4xx and 5xx',
      width,
      left: [stage.metricClientError({ statistic: 'Sum', label: '4xx' }), stage.metricServerError({ statistic: 'Sum', label: '5xx' })],
    }),
    new GraphWidget({
      title: 'API latency (ms)',
      width,
      left: [
        stage.metricLatency({ statistic: 'p50', label: 'latency p50' }),
        stage.metricLatency({ statistic: 'p99', label: 'latency p99' }),
        stage.metricIntegrationLatency({ statistic: 'p99', label: 'function p99' }),
      ],
    }),
  ];
}

function queueWidgets(queueId: string, period: Duration): IWidget[] {
  // One check per period gives one latency sample: percentiles need several checks per point.
  const latencyPeriod = Duration.minutes(period.toMinutes() * latencySamplesPerPoint);
  return [
    new GraphWidget({
      title: `${queueId}: available agents and can transfer`,
      width,
      left: [queueMetric(queueId, queueMetricNames.availableAgents, 'Minimum', period, 'available agents (min)')],
      right: [queueMetric(queueId, queueMetricNames.canTransfer, 'Minimum', period, 'can transfer (min)')],
      leftYAxis: { min: 0, showUnits: false },
      rightYAxis: { min: 0, max: 1, showUnits: false },
    }),
    new GraphWidget({
      title: `${queueId}: vendor latency (ms)`,
      width,
      left: [
        queueMetric(queueId, queueMetricNames.vendorLatency, 'p50', latencyPeriod, 'p50'),
        queueMetric(queueId, queueMetricNames.vendorLatency, 'p99', latencyPeriod, 'p99'),
      ],
    }),
    new GraphWidget({
      title: `${queueId}: vendor errors`,
      width,
      left: [queueMetric(queueId, queueMetricNames.vendorErrors, 'Sum', period, 'all kinds')],
      right: [queueErrorsByKind(queueId, period)],
      leftYAxis: { min: 0, showUnits: false },
    }),
  ];
}

function functionWidgets(functions: Readonly<Record<string, IFunction>>, deadLetterQueue: IQueue): IWidget[] {
  const named = Object.entries(functions);
  return [
    new GraphWidget({
      title: 'Function errors and throttles',
      width,
      left: named.flatMap(([name, fn]) => [fn.metricErrors({ label: `${name} errors` }), fn.metricThrottles({ label: `${name} throttles` })]),
    }),
    new GraphWidget({
      title: 'Function duration p99 (ms)',
      width,
      left: named.map(([name, fn]) => fn.metricDuration({ statistic: 'p99', label: name })),
    }),
    new GraphWidget({
      title: 'Scheduled check dead letters',
      width,
      left: [deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'messages' })],
    }),
  ];
}

function stateStoreWidgets(table: Table): IWidget[] {
  const quarter = 6;
  const counts = { min: 0, showUnits: false };
  return [
    new GraphWidget({
      title: 'State store unavailable (answered from memory)',
      width: quarter,
      left: [stateStoreUnavailable(Duration.minutes(1), 'failed store calls')],
      leftYAxis: counts,
    }),
    new GraphWidget({ title: 'State table throttled requests', width: quarter, left: [stateTableThrottles(table)], leftYAxis: counts }),
    new GraphWidget({ title: 'State table system errors', width: quarter, left: [stateTableSystemErrors(table)], leftYAxis: counts }),
    new GraphWidget({ title: 'State table latency p99 (ms)', width: quarter, left: stateTableLatency(table) }),
  ];
}
