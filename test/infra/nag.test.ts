/**
 * cdk-nag: the AwsSolutions and Serverless packs run on every synth, the stack has no finding
 * left unacknowledged, and each acknowledgement sits on the construct it is about, with a reason.
 * The list of acknowledged rules is spelled out, so a new one is a reviewed change to this file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { buildGateApp } from '../../infra/gate-app';
import { type SynthResult, cdkJsonContext, synthGate, tempDir, writeConfigFile } from './support/synth-gate';
import { logicalId } from './support/template-values';

const config = {
  callersSecret: 'tg/callers',
  queues: [
    { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
    { id: 'sales', vendor: 'calltools', secret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tg/calltools-AbC123', silo: 'east-2', queueId: '5457' },
  ],
};

let result: SynthResult;
let configFile: string;
beforeAll(() => {
  configFile = writeConfigFile(tempDir(), config);
  result = synthGate({ configFile, context: { alarmEmail: 'gate-ops@example.com' } });
});

/** Every acknowledgement in the app: the construct path, the rule id, the reason. */
function acknowledgements(app: App) {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^Annotation::/i, ''), reason })),
  );
}

test('synth leaves no finding of either pack unacknowledged', () => {
  // Where CDK writes what the validation plugins reported (the CLI prints it after synth).
  const report = JSON.parse(readFileSync(path.join(result.assembly.directory, 'validation-report.json'), 'utf8'));
  const violations = report.pluginReports.flatMap((plugin: { violations?: unknown[] }) => plugin.violations ?? []);
  expect(violations).toEqual([]);
});

test('the packs are live: a resource that breaks their rules stops synth', () => {
  const app = new App({ outdir: tempDir(), context: { ...cdkJsonContext, config: configFile, 'aws:cdk:bundling-stacks': [] } });
  const stack = buildGateApp(app);
  new Queue(stack, 'PlainQueue');
  expect(() => app.synth()).toThrow(/AwsSolutions-SQS4[\s\S]*Serverless-SQSRedrivePolicy|Serverless-SQSRedrivePolicy[\s\S]*AwsSolutions-SQS4/);
});

test('exactly these rules are acknowledged', () => {
  const secretArn = (name: string) => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${name}-??????]`;
  const checkFunctionId = logicalId(result.stack.checkFunction.function);
  expect([...new Set(acknowledgements(result.app).map((ack) => ack.id))].sort()).toEqual(
    [
      // Function roles: secrets known by name, X-Ray; synchronous callers. (No runtime finding: nodejs24.x is the latest.)
      secretArn('tg/aloware'),
      secretArn('tg/callers'),
      'AwsSolutions-IAM5[Resource::*]',
      'Serverless-LambdaDLQ',
      // API: authentication in the function, no WAF, the account's API Gateway logging role.
      'AwsSolutions-APIG4',
      'AwsSolutions-COG4',
      'AwsSolutions-APIG3',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      // Scheduled check: the dead-letter queue itself, the scheduler's invoke grant.
      'AwsSolutions-SQS3',
      'Serverless-SQSRedrivePolicy',
      `AwsSolutions-IAM5[Resource::<${checkFunctionId}.Arn>:*]`,
      // Alarm e-mail.
      'Serverless-SNSRedrivePolicy',
      // State table: a rebuildable cache, no point-in-time recovery.
      'AwsSolutions-DDB3',
    ].sort(),
  );
});

test("the state table's point-in-time recovery is acknowledged on the table only, because it is a rebuildable cache", () => {
  const acks = acknowledgements(result.app).filter((ack) => ack.id === 'AwsSolutions-DDB3');
  expect(acks.map((ack) => ack.path)).toEqual([`${result.stack.stackName}/StateTable/Table`]);
  expect(acks[0]!.reason).toMatch(/rebuildable cache/);
});

test("the callers secret's wildcard is acknowledged on the HTTP function's role only, the one role that reads it", () => {
  const paths = acknowledgements(result.app)
    .filter((ack) => ack.id.includes('tg/callers'))
    .map((ack) => ack.path);
  expect(paths).toEqual([`${result.stack.stackName}/HttpFunction/Role`]);
});

test('a secret given by complete ARN needs no wildcard, so no acknowledgement', () => {
  expect(acknowledgements(result.app).some((ack) => ack.id.includes('tg/calltools'))).toBe(false);
});

test('every acknowledgement is on a construct inside the stack, never on the app or the whole stack, and says why', () => {
  const all = acknowledgements(result.app);
  expect(all.length).toBeGreaterThan(0);
  for (const ack of all) {
    expect(ack.path.startsWith(`${result.stack.stackName}/`)).toBe(true);
    expect(ack.reason.length).toBeGreaterThan(40);
  }
});
