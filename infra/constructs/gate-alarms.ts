/**
 * The alarms an operator acts on, each sent to the alarm topic when it fires and when it clears:
 * a queue's vendor failing check after check, the API answering 5xx, the Connect function failing
 * or throttled (otherwise seen only as contact flows taking their Error branch), and the scheduled
 * check failing, dead-lettering or not running at all (without it the queue alarms would stay silent),
 * the shared state table failing (answers go on from each container's memory, but the
 * one-vendor-call-per-TTL and budget guarantees weaken to per container), and requests refused
 * for a missing or unknown key, or blocked by the web ACL (docs/on-call/alarms.md).
 */
import { Duration } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueMetricNames } from '../../shared/scheduled/metric-names';
import { unauthorizedRequests } from './api-metrics';
import type { GateWebAcl } from './gate-web-acl';
import { queueMetric } from './queue-metrics';
import { stateStoreUnavailable } from './state-store-metrics';

export interface GateAlarmsProps {
  readonly queueIds: readonly string[];
  readonly stage: Stage;
  /** The Amazon Connect function: its failures reach no one but the contact flow's Error branch. */
  readonly connectFunction: IFunction;
  readonly checkFunction: IFunction;
  readonly checkDeadLetterQueue: IQueue;
  /** The scheduled check's interval: one check per period. */
  readonly checkInterval: Duration;
  readonly topic: ITopic;
  /** The API's web ACL, when there is one: its blocks get an alarm. */
  readonly webAcl?: GateWebAcl;
}

/** Requests refused for a missing or unknown key in 5 minutes before UnauthorizedRequests fires. */
export const unauthorizedAlarmThreshold = 100;

/** Consecutive failed checks before a queue's vendor alarm fires. */
export const vendorErrorChecks = 3;

export class GateAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: GateAlarmsProps) {
    super(scope, id);
    this.queueAlarms(props.queueIds, props.checkInterval);
    this.requestAlarms(props.stage, props.connectFunction);
    this.edgeAlarms(props.webAcl);
    this.checkAlarms(props.checkFunction, props.checkDeadLetterQueue, props.checkInterval);
    this.add('StateStoreUnavailable', {
      alarmDescription:
        'The shared state table could not be read or written (throttling, network, permissions, a missing table) in the last 5 minutes: ' +
        "callers are answered from each container's memory, so vendor calls and budgets are no longer shared across containers.",
      metric: stateStoreUnavailable(Duration.minutes(5)),
      threshold: 1,
      evaluationPeriods: 1,
    });
    const action = new SnsAction(props.topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }

  /** A queue's vendor failing check after check. */
  private queueAlarms(queueIds: readonly string[], period: Duration): void {
    for (const queueId of queueIds) {
      this.add(`VendorErrors-${queueId}`, {
        alarmDescription:
          `Queue "${queueId}": the vendor could not be read in ${vendorErrorChecks} scheduled checks in a row; ` +
          "callers get the queue's onVendorError answer.",
        metric: queueMetric(queueId, queueMetricNames.vendorErrors, 'Sum', period),
        threshold: 1,
        evaluationPeriods: vendorErrorChecks,
        datapointsToAlarm: vendorErrorChecks,
      });
    }
  }

  /** What callers meet: the API answering 5xx, the Connect function failing or throttled. */
  private requestAlarms(stage: Stage, connectFunction: IFunction): void {
    const twoOfFive = { threshold: 1, evaluationPeriods: 5, datapointsToAlarm: 2 };
    const perMinute = { statistic: 'Sum', period: Duration.minutes(1) };
    this.add('Api5xx', {
      alarmDescription: 'The API answered 5xx (internal_error, or a function failure or timeout) in 2 of the last 5 minutes.',
      metric: stage.metricServerError(perMinute),
      ...twoOfFive,
    });
    this.add('ConnectErrors', {
      alarmDescription:
        'The Connect function failed (crash, timeout or a bad bundled config) in 2 of the last 5 minutes: those contact flows took their Error branch.',
      metric: connectFunction.metricErrors(perMinute),
      ...twoOfFive,
    });
    this.add('ConnectThrottles', {
      alarmDescription:
        'Lambda throttled the Connect function (reservedConcurrency or the account limit) in 2 of the last 5 minutes: ' +
        'those contact flows took their Error branch.',
      metric: connectFunction.metricThrottles(perMinute),
      ...twoOfFive,
    });
  }

  /** Keyless or wrong-key traffic, which shares the callers' throttle, and the web ACL's blocks. */
  private edgeAlarms(webAcl: GateWebAcl | undefined): void {
    const fiveMinutes = Duration.minutes(5);
    this.add('UnauthorizedRequests', {
      alarmDescription: `The API refused at least ${unauthorizedAlarmThreshold} requests in 5 minutes for a missing or unknown key: a caller with a wrong key, or a flood that uses up the throttle real callers share.`,
      metric: unauthorizedRequests(fiveMinutes),
      threshold: unauthorizedAlarmThreshold,
      evaluationPeriods: 1,
    });
    if (!webAcl) return;
    this.add('WebAclBlockedRequests', {
      alarmDescription:
        'The web ACL blocked requests in the last 5 minutes: an address sent more than wafRateLimit requests in 5 minutes and got 429 rate_limited.',
      metric: webAcl.metricBlockedRequests(fiveMinutes),
      threshold: 1,
      evaluationPeriods: 1,
    });
  }

  /** The scheduled check failing, dead-lettering or not running at all (the queue alarms would stay silent). */
  private checkAlarms(checkFunction: IFunction, deadLetterQueue: IQueue, period: Duration): void {
    this.add('CheckFailures', {
      alarmDescription: 'The scheduled check failed (a bad bundled config, or a failure inside the gate) in 2 of the last 3 runs.',
      metric: checkFunction.metricErrors({ statistic: 'Sum', period }),
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    this.add('CheckDeadLetters', {
      alarmDescription: 'Scheduled checks were dead-lettered (not delivered, or failed): read the messages in the dead-letter queue.',
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    this.add('CheckNotRunning', {
      alarmDescription: 'The scheduled check has not run for 3 intervals: queue metrics and vendor alarms are blind.',
      metric: checkFunction.metricInvocations({ statistic: 'Sum', period }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.BREACHING,
    });
  }

  private add(id: string, props: ConstructorParameters<typeof Alarm>[2]): void {
    this.alarms.push(
      new Alarm(this, id, {
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No data means no requests or no failures reported, not a failure (except where said).
        treatMissingData: TreatMissingData.NOT_BREACHING,
        ...props,
      }),
    );
  }
}
