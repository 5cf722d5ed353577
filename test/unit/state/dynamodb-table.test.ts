/**
 * A new table is usable only once the endpoint reports it ACTIVE (docs/operators/running-locally.md#ready-before-serving): createStateTable waits for that, also when another gate created
 * it a moment before. Here dynalite keeps a new table CREATING for its default 500 ms, as
 * `npx dynalite`, DynamoDB Local and AWS do (for longer).
 */
import { DescribeTableCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type EmbeddedDynamo, localDynamoClient, startEmbeddedDynamo } from '../../../local/dynamodb';
import { StateTableNotReadyError, createStateTable, waitForStateTable } from '../../../shared/state/dynamodb-table';

let dynamo: EmbeddedDynamo;
let clients: DynamoDBClient[];
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo({ createTableMs: 500 });
  clients = [localDynamoClient(dynamo.endpoint), localDynamoClient(dynamo.endpoint)];
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await dynamo.close();
});

const status = async (tableName: string) => (await clients[0]!.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus;

it('returns only once the new table is ACTIVE, and a write works at once', async () => {
  const started = performance.now();
  expect(await createStateTable(clients[0]!, 'ready-one')).toBe(true);
  expect(performance.now() - started).toBeGreaterThanOrEqual(450);
  expect(await status('ready-one')).toBe('ACTIVE');
  await clients[0]!.send(new PutItemCommand({ TableName: 'ready-one', Item: { pk: { S: 'x' } } }));
});

it('two gates creating it at once: one creates, the other finds it, both return once it is ACTIVE', async () => {
  const outcomes = await Promise.all(
    clients.map((client) => createStateTable(client, 'ready-two').then(async (created) => ({ created, status: await status('ready-two') }))),
  );
  expect(outcomes.map((outcome) => outcome.created).sort()).toEqual([false, true]);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(['ACTIVE', 'ACTIVE']);
});

it('a table not ACTIVE in time (or missing) is a StateTableNotReadyError naming the table', async () => {
  const slow = await startEmbeddedDynamo({ createTableMs: 1_500 });
  const client = localDynamoClient(slow.endpoint);
  try {
    const late = createStateTable(client, 'slow-table', { readyWithinSeconds: 0.5 });
    await expect(late).rejects.toBeInstanceOf(StateTableNotReadyError);
    await expect(late).rejects.toThrow('the table "slow-table" did not become ACTIVE within 0.5 s');
    await expect(waitForStateTable(client, 'no-such-table', { readyWithinSeconds: 0.3 })).rejects.toBeInstanceOf(StateTableNotReadyError);
    // It does become ACTIVE later (and dynalite's creation timer is done before the endpoint closes).
    await waitForStateTable(client, 'slow-table', { readyWithinSeconds: 5 });
  } finally {
    client.destroy();
    await slow.close();
  }
});
