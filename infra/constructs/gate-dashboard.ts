/**
 * One CloudWatch dashboard: the alarms' states, the API (requests, 4xx, 5xx, latency, and requests
 * refused at the edge: no or unknown key, web ACL blocks), then a row per queue from the scheduled
 * check (available agents and can-transfer over time, vendor latency p50/p99, vendor errors in
 * total and by kind) beside the queue's traffic (answers, yeses, refusals by reason), then the
 * traffic per seller, then the functions and the check's dead-letter queue, then the shared state
 * store (calls it failed, the table's throttles, system errors and latency). The traffic rows are
 * docs/on-call/traffic-metrics.md's.
 */
import { Duration } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { AlarmStatusWidget, Dashboard, GraphWidget, type IAlarm, type IWidget, Row, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueMetricNames, trafficMetricNames } from '../../shared/scheduled/metric-names';
import { unauthorizedRequests } from './api-metrics';
import type { GateWebAcl } from './gate-web-acl';
import { queueErrorsByKind, queueMetric } from './queue-metrics';
import { queueRefusalsByReason, queueTrafficMetric, sellersRefusalsByReason, sellersTraffic } from './traffic-metrics';
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
  /** Every alarm of the stack, shown by state at the top. */
  readonly alarms: readonly IAlarm[];
  /** The API's web ACL, when there is one: its blocks are graphed beside the 401s. */
  readonly webAcl?: GateWebAcl;
}

const width = 8;
/** A queue's row has four graphs: the scheduled check's three and the queue's traffic. */
const queueWidth = 6;
/** Traffic is summed per 5 minutes: per-minute sums of a few pings are mostly noise. */
const trafficPeriod = Duration.minutes(5);
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
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 3 }));
    this.dashboard.addWidgets(...apiWidgets(props.stage));
    this.dashboard.addWidgets(refusedWidget(props.webAcl));
    for (const queueId of props.queueIds) this.dashboard.addWidgets(new Row(...queueWidgets(queueId, props.checkInterval), queueTrafficWidget(queueId)));
    this.dashboard.addWidgets(new Row(...sellerWidgets()));
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

/** Requests that never became an answer: keyless floods share the callers' throttle (docs/on-call/alarms.md). */
function refusedWidget(webAcl: GateWebAcl | undefined): IWidget {
  const minute = Duration.minutes(1);
  return new GraphWidget({
    title: 'Requests refused at the edge',
    width,
    left: [
      unauthorizedRequests(minute, 'no or unknown key (401)'),
      ...(webAcl ? [webAcl.metricBlockedRequests(minute).with({ label: 'web ACL blocks (429)' })] : []),
    ],
    leftYAxis: { min: 0, showUnits: false },
  });
}

function queueWidgets(queueId: string, period: Duration): IWidget[] {
  // One check per period gives one latency sample: percentiles need several checks per point.
  const latencyPeriod = Duration.minutes(period.toMinutes() * latencySamplesPerPoint);
  return [
    new GraphWidget({
      title: `${queueId}: available agents and can transfer`,
      width: queueWidth,
      left: [queueMetric(queueId, queueMetricNames.availableAgents, 'Minimum', period, 'available agents (min)')],
      right: [queueMetric(queueId, queueMetricNames.canTransfer, 'Minimum', period, 'can transfer (min)')],
      leftYAxis: { min: 0, showUnits: false },
      rightYAxis: { min: 0, max: 1, showUnits: false },
    }),
    new GraphWidget({
      title: `${queueId}: vendor latency (ms)`,
      width: queueWidth,
      left: [
        queueMetric(queueId, queueMetricNames.vendorLatency, 'p50', latencyPeriod, 'p50'),
        queueMetric(queueId, queueMetricNames.vendorLatency, 'p99', latencyPeriod, 'p99'),
      ],
    }),
    new GraphWidget({
      title: `${queueId}: vendor errors`,
      width: queueWidth,
      left: [queueMetric(queueId, queueMetricNames.vendorErrors, 'Sum', period, 'all kinds')],
      right: [queueErrorsByKind(queueId, period)],
      leftYAxis: { min: 0, showUnits: false },
    }),
  ];
}

/** The queue's answers to callers (HTTP and Connect), beside what the scheduled check saw. */
function queueTrafficWidget(queueId: string): IWidget {
  return new GraphWidget({
    title: `${queueId}: traffic (answers, yes, refusals by reason)`,
    width: queueWidth,
    left: [
      queueTrafficMetric(queueId, trafficMetricNames.answers, trafficPeriod, 'answers'),
      queueTrafficMetric(queueId, trafficMetricNames.yesAnswers, trafficPeriod, 'yes'),
    ],
    right: [queueRefusalsByReason(queueId, trafficPeriod)],
    leftYAxis: { min: 0, showUnits: false },
    rightYAxis: { min: 0, showUnits: false },
  });
}

/** Per seller: sellers are named in the callers secret, so these graphs find them by SEARCH. */
function sellerWidgets(): IWidget[] {
  const counts = { min: 0, showUnits: false };
  return [
    new GraphWidget({ title: 'Answers by seller', width, left: [sellersTraffic(trafficMetricNames.answers, trafficPeriod)], leftYAxis: counts }),
    new GraphWidget({ title: 'Yes answers by seller', width, left: [sellersTraffic(trafficMetricNames.yesAnswers, trafficPeriod)], leftYAxis: counts }),
    new GraphWidget({ title: 'Refusals by seller and reason', width, left: [sellersRefusalsByReason(trafficPeriod)], leftYAxis: counts }),
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
