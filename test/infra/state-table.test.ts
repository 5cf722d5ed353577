/**
 * The shared state table (docs/operators/shared-state.md#the-table-in-the-stack): one on-demand, encrypted
 * table with the store's key and TTL attribute, destroyed with the stack; its name in every
 * function's environment; item-level access to it alone, per role; the alarm and the dashboard
 * row that watch the store's failures; its name as an output. One synth for all of it.
 */
import { metricsNamespace, metricsServiceName } from '../../shared/scheduled/metric-names';
import { stateTableDefinition } from '../../shared/state/dynamodb-store';
import { stateStoreUnavailableMetric } from '../../shared/state/unavailable-reporter';
import { type SynthResult, synthGate, tempDir, writeConfigFile } from './support/synth-gate';
import { asArray, logicalId, policyStatements, render, resource } from './support/template-values';

const config = {
  callersSecret: 'tg/callers',
  queues: [
    { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
    { id: 'sales', vendor: 'calltools', secret: 'tg/calltools', silo: 'east-2', queueId: '5457' },
  ],
};

let result: SynthResult;
let tableId: string;
beforeAll(() => {
  result = synthGate({ configFile: writeConfigFile(tempDir(), config) });
  tableId = logicalId(result.stack.stateTable.table);
});

const functionNames = ['httpFunction', 'connectFunction', 'checkFunction'] as const;

describe('the table', () => {
  test('is the only table, on demand, keyed and expiring as the store writes its items, with AWS-managed encryption', () => {
    const tables = result.template.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toEqual([tableId]);
    const props = tables[tableId]!.Properties;
    expect(props).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: stateTableDefinition.partitionKey, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: stateTableDefinition.partitionKey, AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: stateTableDefinition.timeToLiveAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    // AWS-managed: no customer key to pay for or lose.
    expect(props.SSESpecification.KMSMasterKeyId).toBeUndefined();
    expect(props.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled ?? false).toBe(false);
    expect(props.ProvisionedThroughput).toBeUndefined();
    expect(props.GlobalSecondaryIndexes).toBeUndefined();
  });

  test('has no hard-coded name and is deleted with the stack (the state is a cache)', () => {
    const table = result.template.toJSON().Resources[tableId];
    expect(table.Properties.TableName).toBeUndefined();
    expect(table).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('keeps its construct id, which fixes its logical id (a rename would replace the table)', () => {
    expect(result.stack.stateTable.node.path).toBe(`${result.stack.stackName}/StateTable`);
    expect(tableId).toMatch(/^StateTable/);
  });

  test('its name is an output', () => {
    expect(result.template.toJSON().Outputs.StateTableName.Value).toEqual({ Ref: tableId });
  });
});

describe.each(functionNames)('%s', (name) => {
  const props = () => resource(result.template, result.stack[name].function).Properties;

  test('gets the table name as GATE_STATE_TABLE', () => {
    expect(props().Environment.Variables.GATE_STATE_TABLE).toEqual({ Ref: tableId });
  });

  test("may get, put, update and delete the table's items, on this table only, and nothing else in DynamoDB", () => {
    const roleId = props().Role['Fn::GetAtt'][0];
    const rolePolicies = new Set(
      Object.entries(result.template.findResources('AWS::IAM::Policy'))
        .filter(([, policy]) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
        .map(([id]) => id),
    );
    const statements = policyStatements(result.template).filter(
      (statement) => rolePolicies.has(statement.policy) && asArray(statement.Action).some((action) => action.startsWith('dynamodb:')),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Effect).toBe('Allow');
    expect(asArray(statements[0]!.Action).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(asArray(statements[0]!.Resource).map(render)).toEqual([`\${${tableId}.Arn}`]);
  });
});

test('no policy in the stack grants any other DynamoDB action or resource', () => {
  for (const statement of policyStatements(result.template)) {
    const actions = asArray(statement.Action);
    if (!actions.some((action) => action.startsWith('dynamodb:'))) continue;
    expect(actions.every((action) => /^dynamodb:(Get|Put|Update|Delete)Item$/.test(action))).toBe(true);
    expect(asArray(statement.Resource).map(render)).toEqual([`\${${tableId}.Arn}`]);
  }
});

describe('watching the store', () => {
  const topic = () => ({ Ref: logicalId(result.stack.node.findChild('AlarmTopic').node.findChild('Topic')) });

  test('an alarm fires on any StateStoreUnavailable in 5 minutes, with the dimensions the functions publish, to the alarm topic', () => {
    const alarms = Object.values(result.template.findResources('AWS::CloudWatch::Alarm'))
      .map((alarm) => alarm.Properties)
      .filter((alarm) => alarm.MetricName === stateStoreUnavailableMetric);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      Namespace: metricsNamespace,
      // Powertools Metrics adds `service` to every metric; the reporter adds no other dimension.
      Dimensions: [{ Name: 'service', Value: metricsServiceName }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic()],
      OKActions: [topic()],
    });
  });

  test('the dashboard has a state store row: failed store calls, and the table throttles, system errors and latency', () => {
    const body = Object.values(result.template.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody;
    const widgets: Array<{ y: number; properties: { title?: string; metrics?: unknown[][] } }> = JSON.parse(render(body)).widgets;
    const stateWidgets = widgets.filter((widget) => /^State (store|table)/.test(widget.properties.title ?? ''));
    expect(stateWidgets.map((widget) => widget.properties.title)).toEqual([
      'State store unavailable (answered from memory)',
      'State table throttled requests',
      'State table system errors',
      'State table latency p99 (ms)',
    ]);
    // One row.
    expect(new Set(stateWidgets.map((widget) => widget.y)).size).toBe(1);
    const [unavailable, throttles, systemErrors, latency] = stateWidgets.map((widget) => JSON.stringify(widget.properties.metrics));
    expect(unavailable).toContain(JSON.stringify([metricsNamespace, stateStoreUnavailableMetric, 'service', metricsServiceName]).slice(1, -1));
    expect(throttles).toContain('"AWS/DynamoDB","ThrottledRequests"');
    expect(systemErrors).toContain('"AWS/DynamoDB","SystemErrors"');
    for (const operation of ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']) {
      expect(latency).toContain(`"AWS/DynamoDB","SuccessfulRequestLatency","Operation","${operation}","TableName","\${${tableId}}"`);
      expect(throttles).toContain(`"Operation","${operation}"`);
    }
  });
});
