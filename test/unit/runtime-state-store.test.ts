import '../support/verbose-logs';
/**
 * Issue 9 (docs/operators/shared-state.md and docs/on-call/when-things-fail.md): with GATE_STATE_TABLE the
 * runtime's store is the table (resilient, falling back to memory), on the endpoint the
 * environment names; a dead table logs "state store unavailable" and writes the EMF metric.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type EmbeddedDynamo, localDynamoClient, startEmbeddedDynamo } from '../../local/dynamodb';
import { stateStoreFromEnv } from '../../shared/runtime';
import { DynamoDbStore, createStateTable } from '../../shared/state/dynamodb-store';
import { captureLogs } from '../support/logs';
import { freePorts } from '../support/local-gate';

let dynamo: EmbeddedDynamo;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  client = localDynamoClient(dynamo.endpoint);
  await createStateTable(client, 'runtime-state');
});
afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

const localEnv = (endpoint: string) => ({
  GATE_STATE_TABLE: 'runtime-state',
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
});

const reading = { availability: { available: 2 }, checkedAt: 1_700_000_000_000, snapshot: { '7': 'available', '8': 'busy' } };

it('with GATE_STATE_TABLE the state goes to that table on the endpoint from the environment', async () => {
  const saved = { ...process.env };
  Object.assign(process.env, localEnv(dynamo.endpoint));
  try {
    const store = stateStoreFromEnv(localEnv(dynamo.endpoint));
    expect(store.kind).toBe('dynamodb');
    await store.putReading('queue:wired', 'runtime', reading);
    // Read back by another client: the reading is in the table, not in the runtime's memory.
    expect(await new DynamoDbStore({ client, tableName: 'runtime-state' }).readState('queue:wired')).toEqual({ reading });
  } finally {
    process.env = saved;
  }
});

it('a dead table: the call is answered from memory, "state store unavailable" is logged and the metric written', async () => {
  const [deadPort] = await freePorts(1);
  const saved = { ...process.env };
  Object.assign(process.env, localEnv(`http://127.0.0.1:${deadPort}`));
  const logs = captureLogs();
  try {
    const store = stateStoreFromEnv(localEnv(`http://127.0.0.1:${deadPort}`));
    const started = performance.now();
    await store.putReading('queue:dead', 'runtime', reading);
    expect(await store.readState('queue:dead')).toEqual({ reading });
    expect(performance.now() - started).toBeLessThan(1_000);
  } finally {
    logs.restore();
    process.env = saved;
  }
  const lines = logs
    .text()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  expect(lines.filter((line) => line.message === 'state store unavailable')).toHaveLength(1);
  const emf = lines.filter((line) => line._aws);
  expect(emf.length).toBeGreaterThanOrEqual(1);
  expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'TransferGate', Metrics: [{ Name: 'StateStoreUnavailable', Unit: 'Count' }] });
  expect(emf[0].StateStoreUnavailable).toBe(1);
});
