/**
 * Runs the check function on a fixed rate with EventBridge Scheduler. A check is only worth
 * something until the next one starts, so retries stay within one interval; whatever cannot be
 * delivered or fails is kept in one encrypted dead-letter queue for a look afterwards.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ScheduledCheckProps {
  /** The function that checks every queue. */
  readonly function: IFunction;
  /** Time between checks (whole minutes, at least one). */
  readonly interval: Duration;
}

/** EventBridge Scheduler's lower bound for a target's maximum event age. */
const minimumEventAge = Duration.minutes(1);

export class ScheduledCheck extends Construct {
  readonly schedule: Schedule;
  /** Checks the scheduler could not deliver and invocations that failed. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ScheduledCheckProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const deadLetterReason = 'This queue is itself the dead-letter queue of the scheduled check; nothing consumes it but an operator.';
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: deadLetterReason });
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: deadLetterReason });

    const eventAge = props.interval.toSeconds() > minimumEventAge.toSeconds() ? props.interval : minimumEventAge;
    // The scheduler invokes asynchronously: a failed run is not retried (the next run is soon) but recorded.
    props.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: eventAge, onFailure: new SqsDestination(this.deadLetterQueue) });
    Validations.of(props.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        "Failed runs go to the on-failure destination (this construct's DeadLetterQueue), which keeps the error as well; a DLQ too would record each failure twice.",
    });

    const role = this.schedulerRole(props.function);
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'transfer-gate: check every queue and publish availability metrics',
      schedule: ScheduleExpression.rate(props.interval),
      target: new LambdaInvoke(props.function, {
        role,
        input: ScheduleTargetInput.fromObject({ source: 'transfer-gate.scheduled-check' }),
        // Delivery retries (throttling, service errors) within one interval.
        retryAttempts: 2,
        maxEventAge: eventAge,
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
  }

  /** The role the scheduler assumes: invoke the check function, send to the dead-letter queue; only for this account. */
  private schedulerRole(target: IFunction): Role {
    const stack = Stack.of(this);
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'EventBridge Scheduler: run the transfer-gate scheduled check',
    });
    const functionLogicalId = stack.resolve((target.node.defaultChild as CfnFunction).logicalId);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
      reason: 'grantInvoke on the check function also covers its versions and aliases (ARN:*); no other function is reachable.',
    });
    return role;
  }
}
