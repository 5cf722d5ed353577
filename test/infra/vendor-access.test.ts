/**
 * Amazon Connect queues in the stack: every function that reads vendors (all three) may call
 * connect:GetCurrentMetricData and connect:DescribeQueue on exactly the instance and queue ARNs of
 * the queues read with the function's own role, and sts:AssumeRole on exactly the roleArns the
 * config names; no wildcard, no acknowledgement, cdk-nag clean; no secret grant for a queue that
 * names none.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type SynthResult, synthGate, tempDir, writeConfigFile } from './support/synth-gate';
import { asArray, render, resource } from './support/template-values';

const instance = '0f8fad5b-d9cb-469f-a165-70867728950e';
const queueA = '457857dc-19eb-4eb9-b562-c90ca37de447';
const queueB = '6ba7b810-9dad-41d1-80b4-00c04fd430c8';
const buyerInstance = '9b2c5a1e-7f3d-4c8a-9e6b-1d2f3a4b5c6d';
const queueArnGiven = `arn:aws:connect:eu-west-2:111122223333:instance/${instance}/queue/${queueB}`;
const roleArn = 'arn:aws:iam::210987654321:role/gate-reader';
const ownArn = (region: string, queue?: string) =>
  `arn:\${AWS::Partition}:connect:${region}:\${AWS::AccountId}:instance/${instance}${queue ? `/queue/${queue}` : ''}`;

const config = {
  callersSecret: 'tg/callers',
  queues: [
    { id: 'aloware', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
    { id: 'connect', vendor: 'amazon-connect', region: 'us-east-1', instanceId: instance, queueId: queueA },
    { id: 'connect-again', vendor: 'amazon-connect', region: 'us-east-1', instanceId: instance, queueId: queueA, minAvailable: 2 },
    { id: 'connect-arn', vendor: 'amazon-connect', region: 'eu-west-2', instanceId: instance, queueId: queueArnGiven },
    { id: 'connect-buyer', vendor: 'amazon-connect', region: 'us-west-2', instanceId: buyerInstance, queueId: queueA, roleArn, secret: 'tg/connect-buyer' },
  ],
};

let result: SynthResult;
beforeAll(() => {
  result = synthGate({ configFile: writeConfigFile(tempDir(), config), context: { alarmEmail: 'gate-ops@example.com' }, bundle: true });
});

const functionNames = ['httpFunction', 'connectFunction', 'checkFunction'] as const;

/** action -> rendered resources, over every statement of the policies attached to the function's role. */
function grants(name: (typeof functionNames)[number]): Map<string, string[]> {
  const roleId = resource(result.template, result.stack[name].function).Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(result.template.findResources('AWS::IAM::Policy')).filter((policy) =>
    policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId),
  );
  const byAction = new Map<string, string[]>();
  for (const statement of policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement)) {
    for (const action of asArray<string>(statement.Action)) byAction.set(action, [...(byAction.get(action) ?? []), ...asArray(statement.Resource).map(render)]);
  }
  return byAction;
}

test.each(functionNames)('%s may read exactly its Connect queues, and assume exactly the configured role', (name) => {
  const granted = grants(name);
  expect(granted.get('connect:GetCurrentMetricData')?.sort()).toEqual(
    [ownArn('us-east-1'), ownArn('us-east-1', queueA), queueArnGiven.replace(`/queue/${queueB}`, ''), queueArnGiven].sort(),
  );
  expect(granted.get('connect:DescribeQueue')?.sort()).toEqual([ownArn('us-east-1', queueA), queueArnGiven].sort());
  expect(granted.get('sts:AssumeRole')).toEqual([roleArn]);
  const connectActions = [...granted.keys()].filter((action) => action.startsWith('connect:') || action.startsWith('sts:'));
  expect(connectActions.sort()).toEqual(['connect:DescribeQueue', 'connect:GetCurrentMetricData', 'sts:AssumeRole']);
});

test("the buyer's instance (read through the assumed role) is granted nothing directly, and no Connect grant has a wildcard", () => {
  for (const name of functionNames) {
    const granted = grants(name);
    for (const action of ['connect:GetCurrentMetricData', 'connect:DescribeQueue', 'sts:AssumeRole']) {
      for (const arn of granted.get(action)!) {
        expect(arn).not.toContain('*');
        expect(arn).not.toContain(buyerInstance);
      }
    }
  }
});

test('secrets are granted only where a queue names one (the own-role Connect queues name none)', () => {
  const secretResources = grants('connectFunction').get('secretsmanager:GetSecretValue')!;
  expect(secretResources.map((arn) => arn.replace(/^.*:secret:/, '')).sort()).toEqual(['tg/aloware-??????', 'tg/connect-buyer-??????']);
});

test('cdk-nag has no finding', () => {
  const report = JSON.parse(readFileSync(path.join(result.assembly.directory, 'validation-report.json'), 'utf8'));
  expect(report.pluginReports.flatMap((plugin: { violations?: unknown[] }) => plugin.violations ?? [])).toEqual([]);
});

test('a config with only own-role Connect queues synthesizes with no vendor secret at all', () => {
  const onlyConnect = { callersSecret: 'tg/callers', queues: [config.queues[1]] };
  const synthesized = synthGate({ configFile: writeConfigFile(tempDir(), onlyConnect) });
  const policies = JSON.stringify(synthesized.template.findResources('AWS::IAM::Policy'));
  expect(policies).toContain('connect:GetCurrentMetricData');
  expect((policies.match(/secret:tg\/[\w-]+/g) ?? []).filter((name) => !name.startsWith('secret:tg/callers'))).toEqual([]);
});

/** Each function bundle's code, from the cloud assembly. */
function bundles(synthesized: SynthResult): string[] {
  const dir = synthesized.assembly.directory;
  return readdirSync(dir)
    .filter((entry) => entry.startsWith('asset.'))
    .flatMap((entry) => (readdirSync(path.join(dir, entry)).includes('index.js') ? [readFileSync(path.join(dir, entry, 'index.js'), 'utf8')] : []));
}

test('the bundles carry the Connect and STS clients only when the config names a Connect queue', () => {
  const withConnect = bundles(result);
  expect(withConnect).toHaveLength(3);
  for (const code of withConnect) expect(code).toContain('/metrics/current/{InstanceId}');
  const alowareOnly = { callersSecret: 'tg/callers', queues: [config.queues[0]] };
  const without = bundles(synthGate({ configFile: writeConfigFile(tempDir(), alowareOnly), bundle: true }));
  expect(without).toHaveLength(3);
  for (const code of without) {
    expect(code).not.toContain('/metrics/current/{InstanceId}');
    // Left to the runtime's SDK, behind the import only a Connect check makes.
    expect(code).toMatch(/require\(["']@aws-sdk\/client-connect["']\)/);
  }
  expect(Math.max(...without.map((code) => code.length))).toBeLessThan(Math.min(...withConnect.map((code) => code.length)) - 200_000);
}, 120_000);
