/**
 * The scheduled check (schedule, retries, dead letters), the dashboard, the alarms and where they
 * go, and the stack's outputs.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { metricsNamespace, metricsServiceName } from '../../shared/scheduled/metric-names';
import { type SynthResult, synthGate, tempDir, writeConfigFile } from './support/synth-gate';
import { logicalId, render, resource } from './support/template-values';

const queueIds = ['support', 'sales'];
const config = {
  queues: [
    { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
    { id: 'sales', vendor: 'calltools', secret: 'tg/calltools', silo: 'east-2', queueId: '5457' },
  ],
};

let tuned: SynthResult;
let defaults: SynthResult;
beforeAll(() => {
  const configFile = writeConfigFile(tempDir(), config);
  tuned = synthGate({
    configFile,
    context: { alarmEmail: 'gate-ops@example.com', checkIntervalMinutes: '5', wafRateLimit: '2000', scheduledCheckConcurrency: '16' },
  });
  defaults = synthGate({ configFile });
});

describe('scheduled check', () => {
  function schedule(result: SynthResult) {
    return Object.values(result.template.findResources('AWS::Scheduler::Schedule'))[0]!.Properties;
  }
  const deadLetterQueue = (result: SynthResult) => logicalId(result.stack.node.findChild('ScheduledCheck').node.findChild('DeadLetterQueue'));

  test('runs every minute by default, or at the interval asked for', () => {
    expect(schedule(defaults).ScheduleExpression).toBe('rate(1 minute)');
    expect(schedule(tuned).ScheduleExpression).toBe('rate(5 minutes)');
  });

  test('invokes the check function with a retry policy and a dead-letter queue', () => {
    const { Target } = schedule(defaults);
    expect(Target.Arn).toEqual({ 'Fn::GetAtt': [logicalId(defaults.stack.checkFunction.function), 'Arn'] });
    expect(Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 });
    expect(Target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [deadLetterQueue(defaults), 'Arn'] } });
  });

  test('reads the setting scheduledCheckConcurrency (default 8) into SCHEDULED_CHECK_CONCURRENCY, so a deploy keeps it', () => {
    const variables = (result: SynthResult) => resource(result.template, result.stack.checkFunction.function).Properties.Environment.Variables;
    expect(variables(defaults).SCHEDULED_CHECK_CONCURRENCY).toBe('8');
    expect(variables(tuned).SCHEDULED_CHECK_CONCURRENCY).toBe('16');
    expect(resource(tuned.template, tuned.stack.httpFunction.function).Properties.Environment.Variables.SCHEDULED_CHECK_CONCURRENCY).toBeUndefined();
  });

  test('a failed run is not retried by Lambda but sent to the same dead-letter queue', () => {
    defaults.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(defaults.stack.checkFunction.function) },
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [deadLetterQueue(defaults), 'Arn'] } } },
    });
  });

  test('the dead-letter queue is encrypted and TLS-only', () => {
    defaults.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    defaults.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('dashboard', () => {
  /** The dashboard body as JSON, with references rendered as ${...}. */
  function widgets(result: SynthResult): Array<{ properties: { title?: string; metrics?: unknown[][] } }> {
    const body = Object.values(result.template.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody;
    return JSON.parse(render(body)).widgets;
  }
  const titled = (result: SynthResult, title: string) => widgets(result).find((widget) => widget.properties.title === title);
  /** `[namespace, name, dim, value, dim, value, options]` as `namespace name dim=value,...` (dimensions sorted: order means nothing). */
  const metricNames = (widget: { properties: { metrics?: unknown[][] } } | undefined) =>
    (widget?.properties.metrics ?? []).map((metric) => {
      const [namespace, name, ...rest] = metric.filter((part) => typeof part === 'string') as string[];
      const dims = [];
      for (let index = 0; index < rest.length; index += 2) dims.push(`${rest[index]}=${rest[index + 1]}`);
      return `${namespace} ${name} ${dims.sort().join(',')}`;
    });

  test.each(queueIds)('shows %s: available agents and can-transfer, vendor latency p50/p99, vendor errors', (queue) => {
    const dims = `queue=${queue},service=${metricsServiceName}`;
    expect(metricNames(titled(defaults, `${queue}: available agents and can transfer`))).toEqual([
      `${metricsNamespace} AvailableAgents ${dims}`,
      `${metricsNamespace} CanTransfer ${dims}`,
    ]);
    const latency = titled(defaults, `${queue}: vendor latency (ms)`)!.properties.metrics!;
    expect(latency.map((metric) => (metric.at(-1) as { stat: string }).stat)).toEqual(['p50', 'p99']);
    const errors = titled(defaults, `${queue}: vendor errors`)!.properties.metrics!;
    expect(metricNames({ properties: { metrics: [errors[0]!] } })).toEqual([`${metricsNamespace} VendorErrors ${dims}`]);
    expect(JSON.stringify(errors[1])).toContain(`kind} MetricName=\\"VendorErrors\\"`);
  });

  test.each(queueIds)("shows %s's traffic beside the scheduled check: answers and yeses by queue, refusals by reason", (queue) => {
    const widget = titled(defaults, `${queue}: traffic (answers, yes, refusals by reason)`)!;
    const metrics = widget.properties.metrics!;
    expect(metricNames({ properties: { metrics: metrics.slice(0, 2) } })).toEqual([
      `${metricsNamespace} Answers queue=${queue},service=${metricsServiceName}`,
      `${metricsNamespace} YesAnswers queue=${queue},service=${metricsServiceName}`,
    ]);
    expect(JSON.stringify(metrics[2])).toContain(
      `{${metricsNamespace},service,queue,reason} MetricName=\\"Refusals\\" service=\\"${metricsServiceName}\\" queue=\\"${queue}\\"`,
    );
    // Four graphs in the queue's row: the check's three and the traffic.
    const row = widgets(defaults).filter((candidate) => candidate.properties.title?.startsWith(`${queue}: `));
    expect(row.map((candidate) => (candidate as unknown as { width: number }).width)).toEqual([6, 6, 6, 6]);
  });

  test('shows the traffic per seller by SEARCH (sellers are in the callers secret): answers, yeses, refusals by reason', () => {
    const search = (title: string) => JSON.stringify(titled(defaults, title)!.properties.metrics);
    expect(search('Answers by seller')).toContain(`{${metricsNamespace},service,seller} MetricName=\\"Answers\\"`);
    expect(search('Yes answers by seller')).toContain(`{${metricsNamespace},service,seller} MetricName=\\"YesAnswers\\"`);
    expect(search('Refusals by seller and reason')).toContain(`{${metricsNamespace},service,seller,reason} MetricName=\\"Refusals\\"`);
  });

  test("shows every alarm's state at the top", () => {
    const first = widgets(defaults)[1] as unknown as { type: string; properties: { title: string; alarms: unknown[] } };
    expect(first).toMatchObject({ type: 'alarm', properties: { title: 'Alarms' } });
    const alarmIds = Object.keys(defaults.template.findResources('AWS::CloudWatch::Alarm'));
    expect(first.properties.alarms).toHaveLength(alarmIds.length);
    expect(alarmIds.length).toBeGreaterThan(5);
  });

  test('EMF needs no IAM: no function may call cloudwatch:PutMetricData', () => {
    const statements = Object.values(defaults.template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements.length).toBeGreaterThan(0);
    expect(JSON.stringify(statements)).not.toContain('cloudwatch:');
  });

  test('shows errors and throttles of every function, the Connect function included', () => {
    const names = metricNames(titled(defaults, 'Function errors and throttles'));
    const connect = `FunctionName=\${${logicalId(defaults.stack.connectFunction.function)}}`;
    expect(names).toEqual(expect.arrayContaining([`AWS/Lambda Errors ${connect}`, `AWS/Lambda Throttles ${connect}`]));
    expect(names).toHaveLength(6);
  });

  test('shows the requests refused at the edge: 401s always, web ACL blocks when there is a web ACL', () => {
    const refused = (result: SynthResult) => metricNames(titled(result, 'Requests refused at the edge')).map((name) => name.split(' ').slice(0, 2).join(' '));
    expect(refused(defaults)).toEqual([`${metricsNamespace} UnauthorizedRequests`]);
    expect(refused(tuned)).toEqual([`${metricsNamespace} UnauthorizedRequests`, 'AWS/WAFV2 BlockedRequests']);
  });

  test('shows API requests, 4xx, 5xx and latency for the stage', () => {
    expect(metricNames(titled(defaults, 'API requests'))).toEqual([expect.stringMatching(/^AWS\/ApiGateway Count ApiName=TransferGate,Stage=\$\{\w+\}$/)]);
    expect(metricNames(titled(defaults, 'API 4xx and 5xx')).map((name) => name.split(' ')[1])).toEqual(['4XXError', '5XXError']);
    expect(metricNames(titled(defaults, 'API latency (ms)')).map((name) => name.split(' ')[1])).toEqual(['Latency', 'Latency', 'IntegrationLatency']);
  });
});

describe('alarms', () => {
  function alarms(result: SynthResult) {
    return Object.values(result.template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
  }
  const topic = (result: SynthResult) => ({ Ref: logicalId(result.stack.node.findChild('AlarmTopic').node.findChild('Topic')) });

  test.each(queueIds)('%s: vendor errors sustained over 3 checks', (queue) => {
    const alarm = alarms(tuned).find((candidate) => candidate.MetricName === 'VendorErrors' && candidate.Dimensions.some((dim: any) => dim.Value === queue));
    expect(alarm).toMatchObject({ Namespace: metricsNamespace, Statistic: 'Sum', Threshold: 1, EvaluationPeriods: 3, DatapointsToAlarm: 3, Period: 300 });
  });

  test('API 5xx and scheduled check failures, dead letters and silence are alarmed', () => {
    const watched = alarms(defaults).map((alarm) => `${alarm.Namespace} ${alarm.MetricName}`);
    expect(watched).toEqual(
      expect.arrayContaining(['AWS/ApiGateway 5XXError', 'AWS/Lambda Errors', 'AWS/SQS ApproximateNumberOfMessagesVisible', 'AWS/Lambda Invocations']),
    );
    const checkFunction = { Ref: logicalId(defaults.stack.checkFunction.function) };
    const onCheck = alarms(defaults).filter((alarm) => alarm.Namespace === 'AWS/Lambda' && alarm.Dimensions[0].Value.Ref === checkFunction.Ref);
    expect(onCheck.map((alarm) => alarm.MetricName).sort()).toEqual(['Errors', 'Invocations']);
  });

  test('the Connect function is alarmed on errors and on throttles', () => {
    const connect = { Ref: logicalId(defaults.stack.connectFunction.function) };
    const onConnect = alarms(defaults).filter((alarm) => alarm.Dimensions?.some((dim: any) => JSON.stringify(dim.Value) === JSON.stringify(connect)));
    expect(onConnect.map((alarm) => `${alarm.Namespace} ${alarm.MetricName}`).sort()).toEqual(['AWS/Lambda Errors', 'AWS/Lambda Throttles']);
    for (const alarm of onConnect) {
      expect(alarm).toMatchObject({
        Statistic: 'Sum',
        Period: 60,
        Threshold: 1,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 2,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      expect(alarm.AlarmActions).toEqual([topic(defaults)]);
    }
  });

  test("this account's CloudWatch alarms may publish to the topic: its policy replaces SNS's default", () => {
    const statements = Object.values(defaults.template.findResources('AWS::SNS::TopicPolicy')).flatMap((policy) => {
      expect(policy.Properties.Topics).toEqual([topic(defaults)]);
      return policy.Properties.PolicyDocument.Statement;
    });
    const allows = statements.filter((statement: any) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: topic(defaults) });
    expect(allows[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(render(allows[0].Condition.ArnLike['aws:SourceArn'])).toBe('arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*');
    // The TLS deny stays.
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  test("CloudWatch may use the topic's key to publish encrypted messages", () => {
    const key = Object.values(defaults.template.findResources('AWS::KMS::Key'))[0]!.Properties;
    const forCloudWatch = key.KeyPolicy.Statement.filter((statement: any) => statement.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(forCloudWatch).toHaveLength(1);
    expect(forCloudWatch[0]).toMatchObject({ Effect: 'Allow', Resource: '*' });
    expect([...forCloudWatch[0].Action].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    defaults.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Object.keys(defaults.template.findResources('AWS::KMS::Key'))[0], 'Arn'] },
    });
  });

  test("requests refused for a missing or unknown key: the HTTP function's own UnauthorizedRequests, with or without a web ACL", () => {
    for (const result of [defaults, tuned]) {
      const alarm = alarms(result).find((candidate) => candidate.MetricName === 'UnauthorizedRequests');
      expect(alarm).toMatchObject({
        Namespace: metricsNamespace,
        Dimensions: [{ Name: 'service', Value: metricsServiceName }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 100,
        EvaluationPeriods: 1,
      });
    }
  });

  test("the web ACL's blocks are alarmed only when there is a web ACL", () => {
    expect(alarms(defaults).some((alarm) => alarm.Namespace === 'AWS/WAFV2')).toBe(false);
    const blocked = alarms(tuned).filter((alarm) => alarm.Namespace === 'AWS/WAFV2');
    expect(blocked).toEqual([
      expect.objectContaining({
        MetricName: 'BlockedRequests',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    ]);
    expect(blocked[0]).toMatchObject({ AlarmActions: [topic(tuned)], OKActions: [topic(tuned)] });
    const acl = Object.values(tuned.template.findResources('AWS::WAFv2::WebACL'))[0]!.Properties;
    // Dimensions as AWS WAF publishes them: the web ACL's and the rule's metric names, and the region.
    expect(blocked[0].Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'WebACL', Value: acl.VisibilityConfig.MetricName },
        { Name: 'Rule', Value: acl.Rules[0].VisibilityConfig.MetricName },
        { Name: 'Region', Value: { Ref: 'AWS::Region' } },
      ]),
    );
  });

  test('every alarm notifies the alarm topic when it fires and when it clears', () => {
    for (const alarm of alarms(defaults)) {
      expect(alarm.AlarmActions).toEqual([topic(defaults)]);
      expect(alarm.OKActions).toEqual([topic(defaults)]);
    }
  });

  test('the topic is encrypted with a rotating key; e-mail is subscribed only when given', () => {
    defaults.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    defaults.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    defaults.template.resourceCountIs('AWS::SNS::Subscription', 0);
    tuned.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'gate-ops@example.com', TopicArn: topic(tuned) });
  });
});

test('outputs the API URL, the function names, the dashboard name and the state table name', () => {
  const outputs = defaults.template.toJSON().Outputs;
  expect(Object.keys(outputs).sort()).toEqual(
    ['AlarmTopicArn', 'ApiUrl', 'CheckFunctionName', 'ConnectFunctionArn', 'ConnectFunctionName', 'DashboardName', 'HttpFunctionName', 'StateTableName'].sort(),
  );
  expect(render(outputs.ApiUrl.Value)).toMatch(/^https:\/\/\$\{\w+\}\.execute-api\.\$\{AWS::Region\}\.\$\{AWS::URLSuffix\}\/\$\{\w+\}\/$/);
  expect(outputs.HttpFunctionName.Value).toEqual({ Ref: logicalId(defaults.stack.httpFunction.function) });
  expect(outputs.ConnectFunctionName.Value).toEqual({ Ref: logicalId(defaults.stack.connectFunction.function) });
  expect(outputs.CheckFunctionName.Value).toEqual({ Ref: logicalId(defaults.stack.checkFunction.function) });
  expect(outputs.DashboardName.Value).toEqual({ Ref: Object.keys(defaults.template.findResources('AWS::CloudWatch::Dashboard'))[0] });
  expect(resource(defaults.template, defaults.stack.checkFunction.function).Type).toBe('AWS::Lambda::Function');
});
