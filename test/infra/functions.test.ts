/**
 * The three functions: runtime, memory, timeouts from the config, log groups, concurrency,
 * the Connect resource policy, and secret access limited to exactly the secrets the config names.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { type SynthResult, synthGate, tempDir, writeConfigFile } from './support/synth-gate';
import { asArray, logicalId, policyStatements, render, resource } from './support/template-values';

const connectInstanceArn = 'arn:aws:connect:eu-west-1:123456789012:instance/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const completeArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tg/calltools-AbC123';
const partialArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tg/vonage';

const config = {
  callersSecret: 'tg/callers',
  defaults: { timeoutMs: 4000 },
  queues: [
    { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
    { id: 'sales', vendor: 'calltools', secret: completeArn, silo: 'east-2', queueId: '5457' },
    { id: 'uk', vendor: 'vonage', secret: partialArn, region: 'emea', queueGuids: ['457857dc-19eb-4eb9-b562-c90ca37de447'], timeoutMs: 6500 },
    { id: 'support-2', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2 },
  ],
};

let tuned: SynthResult;
let defaults: SynthResult;
beforeAll(() => {
  const configFile = writeConfigFile(tempDir(), config);
  tuned = synthGate({
    configFile,
    // As `-c key=value` passes them: strings.
    context: { connectInstanceArn, reservedConcurrency: '7', memorySize: '1024', logRetentionDays: '14' },
  });
  defaults = synthGate({ configFile });
});

function functionProps(result: SynthResult, name: 'httpFunction' | 'connectFunction' | 'checkFunction') {
  return resource(result.template, result.stack[name].function).Properties;
}

const functionNames = ['httpFunction', 'connectFunction', 'checkFunction'] as const;

describe.each(functionNames)('%s', (name) => {
  test('runs Node.js 24 (nodejs22.x is deprecated on 2027-04-30) on arm64 with tracing, JSON logs and the memory asked for', () => {
    const props = functionProps(tuned, name);
    expect(props).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 1024, TracingConfig: { Mode: 'Active' } });
    expect(props.LoggingConfig).toEqual({ LogFormat: 'JSON', LogGroup: { Ref: logicalId(tuned.stack[name].logGroup) } });
    expect(functionProps(defaults, name).MemorySize).toBe(512);
  });

  test('times out above the slowest queue budget (6.5 s) and below API Gateway (29 s)', () => {
    const timeout = functionProps(tuned, name).Timeout;
    expect(timeout).toBeGreaterThan(6.5);
    expect(timeout).toBeLessThan(29);
  });

  test('gets the config in its bundle, not in its environment (which names only the state table besides, and the check its concurrency)', () => {
    const variables = functionProps(tuned, name).Environment.Variables;
    const checkOnly = name === 'checkFunction' ? ['SCHEDULED_CHECK_CONCURRENCY'] : [];
    expect(Object.keys(variables).sort()).toEqual(['GATE_STATE_TABLE', 'NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', ...checkOnly].sort());
    expect(JSON.stringify(variables)).not.toContain('tg/aloware');
  });

  test('logs to its own log group with the retention asked for', () => {
    expect(resource(tuned.template, tuned.stack[name].logGroup).Properties.RetentionInDays).toBe(14);
    expect(resource(defaults.template, defaults.stack[name].logGroup).Properties.RetentionInDays).toBe(30);
  });

  test('has a role with no managed policies', () => {
    const roleId = functionProps(tuned, name).Role['Fn::GetAtt'][0];
    expect(tuned.template.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
  });
});

test('reserved concurrency caps the HTTP and Connect functions when set, and nothing by default', () => {
  expect(functionProps(tuned, 'httpFunction').ReservedConcurrentExecutions).toBe(7);
  expect(functionProps(tuned, 'connectFunction').ReservedConcurrentExecutions).toBe(7);
  expect(functionProps(tuned, 'checkFunction').ReservedConcurrentExecutions).toBeUndefined();
  for (const name of functionNames) expect(functionProps(defaults, name).ReservedConcurrentExecutions).toBeUndefined();
});

describe('secret access', () => {
  const vendorSecretArns = [
    'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:tg/aloware-??????',
    completeArn,
    `${partialArn}-??????`,
  ];
  const callersSecretArn = 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:tg/callers-??????';
  const expectedSecretArns = {
    // Only the HTTP function authenticates callers; every function reads vendors.
    httpFunction: [...vendorSecretArns, callersSecretArn].sort(),
    connectFunction: [...vendorSecretArns].sort(),
    checkFunction: [...vendorSecretArns].sort(),
  };

  /** The resources of every secretsmanager statement in the policies attached to the function's role. */
  function secretStatements(name: (typeof functionNames)[number]) {
    const roleId = functionProps(tuned, name).Role['Fn::GetAtt'][0];
    const policies = Object.values(tuned.template.findResources('AWS::IAM::Policy')).filter((candidate) =>
      candidate.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId),
    );
    return policies.flatMap((policy) =>
      policy.Properties.PolicyDocument.Statement.filter((statement: { Action: string | string[] }) =>
        asArray(statement.Action).some((action) => action.startsWith('secretsmanager:')),
      ),
    );
  }

  test.each(functionNames)('%s may read exactly the secrets it uses, and only read them', (name) => {
    const statements = secretStatements(name);
    for (const statement of statements) expect(asArray(statement.Action).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(statements.flatMap((statement: { Resource: unknown }) => asArray(statement.Resource).map(render)).sort()).toEqual(expectedSecretArns[name]);
  });

  test('only the HTTP function may read the callers secret', () => {
    const readers = functionNames.filter((name) =>
      secretStatements(name).some((statement: { Resource: unknown }) => asArray(statement.Resource).map(render).includes(callersSecretArn)),
    );
    expect(readers).toEqual(['httpFunction']);
  });

  test('no policy grants secrets beyond those, and no statement but X-Ray uses a "*" resource', () => {
    const all = new Set([...vendorSecretArns, callersSecretArn]);
    for (const statement of policyStatements(tuned.template)) {
      const resources = asArray(statement.Resource).map(render);
      if (asArray(statement.Action).some((action) => action.startsWith('secretsmanager:'))) for (const arn of resources) expect(all.has(arn)).toBe(true);
      if (resources.includes('*')) expect(asArray(statement.Action).every((action) => action.startsWith('xray:'))).toBe(true);
    }
  });
});

describe('Amazon Connect', () => {
  test('only the given instance may invoke the Connect function', () => {
    tuned.template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'connect.amazonaws.com',
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [logicalId(tuned.stack.connectFunction.function), 'Arn'] },
      SourceArn: connectInstanceArn,
    });
  });

  test('without an instance ARN, only instances in this account may invoke it', () => {
    defaults.template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'connect.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: Match.absent(),
    });
  });

  test('Connect may invoke no other function', () => {
    const permissions = Object.values(tuned.template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'connect.amazonaws.com' } }));
    expect(permissions).toHaveLength(1);
  });
});
