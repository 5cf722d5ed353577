/**
 * The whole deployable gate: the HTTP function behind the REST API, the Amazon Connect function,
 * the scheduled check, and the dashboard and alarms that watch them. Built from a validated
 * gate.config.json and the operator's settings; creates no secrets and names no resources.
 */
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { AlarmTopic } from './constructs/alarm-topic';
import { GateAlarms } from './constructs/gate-alarms';
import { GateApi } from './constructs/gate-api';
import { GateDashboard } from './constructs/gate-dashboard';
import { GateFunction, type GateFunctionProps } from './constructs/gate-function';
import { GateSecrets } from './constructs/gate-secrets';
import { GateStateTable } from './constructs/gate-state-table';
import { GateVendorAccess } from './constructs/gate-vendor-access';
import { ScheduledCheck } from './constructs/scheduled-check';
import { consoleFiles, consoleFolder } from '../shared/api/console-files';
import { openapiFileName } from '../shared/api/openapi-file';
import { scheduledCheckConcurrencyVariable } from '../shared/scheduled/check-concurrency';
import { functionTimeout } from './function-timeout';
import type { OperatorSettings } from './settings';
import type { StackConfig } from './stack-config';

export interface TransferGateStackProps extends StackProps {
  /** The validated gate.config.json: queues, secrets, time budgets. */
  readonly gateConfig: StackConfig;
  /** Endpoint type, throttling, web ACL, alarm e-mail, Connect instance, retention, memory, concurrency, check interval and concurrency. */
  readonly settings: OperatorSettings;
}

export class TransferGateStack extends Stack {
  readonly httpFunction: GateFunction;
  readonly connectFunction: GateFunction;
  readonly checkFunction: GateFunction;
  readonly api: GateApi;
  readonly stateTable: GateStateTable;

  constructor(scope: Construct, id: string, props: TransferGateStackProps) {
    super(scope, id, props);
    const { gateConfig, settings } = props;
    this.stateTable = new GateStateTable(this, 'StateTable');
    const common: Omit<GateFunctionProps, 'entry' | 'description'> = {
      configFile: gateConfig.file,
      secrets: new GateSecrets(this, 'Secrets', { config: gateConfig.config }),
      // Every function reads vendors: each gets the Connect (and assumed-role) grants its queues need.
      vendorAccess: new GateVendorAccess(this, 'VendorAccess', { config: gateConfig.config }),
      stateTable: this.stateTable,
      timeout: functionTimeout(gateConfig.config),
      memorySize: settings.memorySize,
      logRetention: settings.logRetentionDays,
    };
    this.httpFunction = new GateFunction(this, 'HttpFunction', {
      ...common,
      entry: 'functions/http/handler.ts',
      description: 'transfer-gate HTTP API: GET /v1/queues/{id}/availability, /v1/health, /v1/status and the console',
      // The only function that authenticates callers.
      readsCallersSecret: true,
      // GET /v1/openapi.json and the console's files are read there on first use (shared/api/openapi-file.ts, console-files.ts).
      filesBesideBundle: [openapiFileName, ...Object.values(consoleFiles).map((file) => `${consoleFolder}/${file.name}`)],
      reservedConcurrency: settings.reservedConcurrency,
    });
    this.connectFunction = new GateFunction(this, 'ConnectFunction', {
      ...common,
      entry: 'functions/connect/handler.ts',
      description: 'transfer-gate for Amazon Connect contact flows (parameter "queue")',
      reservedConcurrency: settings.reservedConcurrency,
    });
    this.checkFunction = new GateFunction(this, 'CheckFunction', {
      ...common,
      entry: 'functions/scheduled/handler.ts',
      description: 'transfer-gate scheduled check: every queue, with metrics',
      // From the setting, so that a deploy keeps it (a value set by hand on the function would be undone).
      environment: { [scheduledCheckConcurrencyVariable]: String(settings.scheduledCheckConcurrency) },
    });
    this.allowConnect(settings.connectInstanceArn);
    this.api = new GateApi(this, 'Api', {
      handler: this.httpFunction.function,
      endpointType: settings.apiEndpointType,
      throttleRateLimit: settings.throttleRateLimit,
      throttleBurstLimit: settings.throttleBurstLimit,
      logRetention: settings.logRetentionDays,
      cloudWatchRole: settings.apiGatewayCloudWatchRole,
      webAclRateLimit: settings.wafRateLimit,
    });
    this.observe([...gateConfig.config.queues.keys()], settings);
  }

  /** The scheduled check, and the alarms and dashboard built on what it and the API report. */
  private observe(queueIds: string[], settings: OperatorSettings): void {
    const checkInterval = Duration.minutes(settings.checkIntervalMinutes);
    const check = new ScheduledCheck(this, 'ScheduledCheck', { function: this.checkFunction.function, interval: checkInterval });
    const stage = this.api.api.deploymentStage;
    const topic = new AlarmTopic(this, 'AlarmTopic', { email: settings.alarmEmail }).topic;
    const checkDeadLetterQueue = check.deadLetterQueue;
    const { alarms } = new GateAlarms(this, 'Alarms', {
      queueIds,
      stage,
      connectFunction: this.connectFunction.function,
      checkFunction: this.checkFunction.function,
      checkDeadLetterQueue,
      checkInterval,
      topic,
      webAcl: this.api.webAcl,
    });
    const functions = { http: this.httpFunction.function, connect: this.connectFunction.function, check: this.checkFunction.function };
    const dashboard = new GateDashboard(this, 'Dashboard', {
      queueIds,
      stage,
      functions,
      checkDeadLetterQueue,
      checkInterval,
      stateTable: this.stateTable.table,
      alarms,
      webAcl: this.api.webAcl,
    }).dashboard;

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Base URL; append v1/queues/{id}/availability or v1/health' });
    new CfnOutput(this, 'HttpFunctionName', { value: this.httpFunction.function.functionName });
    new CfnOutput(this, 'ConnectFunctionName', { value: this.connectFunction.function.functionName });
    new CfnOutput(this, 'ConnectFunctionArn', {
      value: this.connectFunction.function.functionArn,
      description: 'Pick this function in the contact flow block',
    });
    new CfnOutput(this, 'CheckFunctionName', { value: this.checkFunction.function.functionName });
    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboardName });
    new CfnOutput(this, 'StateTableName', {
      value: this.stateTable.tableName,
      description: 'The shared state table (a cache: readings, leases, blocks, budgets, holds, overrides)',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: topic.topicArn, description: 'Subscribe here to receive alarms' });
  }

  /** Amazon Connect may invoke the Connect function: one instance when given, else only instances in this account. */
  private allowConnect(instanceArn: string | undefined): void {
    this.connectFunction.function.addPermission('ConnectInvoke', {
      principal: new ServicePrincipal('connect.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      ...(instanceArn ? { sourceArn: instanceArn } : { sourceAccount: this.account }),
    });
    Validations.of(this.connectFunction.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Amazon Connect invokes this function synchronously and takes its Error branch on failure; there is no asynchronous event to dead-letter.',
    });
  }
}
