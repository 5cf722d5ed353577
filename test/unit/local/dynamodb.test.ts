import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { type EmbeddedDynamo, ensureStateTable, isLoopbackEndpoint, localDynamoClient, startEmbeddedDynamo } from '../../../local/dynamodb';
import { stateTableDefinition } from '../../../shared/state/dynamodb-store';

let dynamo: EmbeddedDynamo;
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
});
afterAll(async () => {
  await dynamo.close();
});

test('the embedded DynamoDB listens on loopback', () => {
  expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

test('the state table is created once on a loopback endpoint, keyed by pk, and active at once', async () => {
  expect(await ensureStateTable(dynamo.endpoint, 'gate-state')).toBe('created');
  expect(await ensureStateTable(dynamo.endpoint.replace('127.0.0.1', 'localhost'), 'gate-state')).toBe('exists');
  const client = localDynamoClient(dynamo.endpoint);
  const { Table } = await client.send(new DescribeTableCommand({ TableName: 'gate-state' }));
  client.destroy();
  expect(Table).toMatchObject({ TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: stateTableDefinition.partitionKey, KeyType: 'HASH' }] });
});

test('a table is never created on an endpoint off loopback', async () => {
  // Returns before any request: no network is touched.
  expect(await ensureStateTable('https://dynamodb.us-east-1.amazonaws.com', 'gate-state')).toBe('skipped-not-loopback');
  expect(isLoopbackEndpoint('http://[::1]:8000')).toBe(true);
  expect(isLoopbackEndpoint('http://localhost:8000')).toBe(true);
  expect(isLoopbackEndpoint('http://10.0.0.5:8000')).toBe(false);
  expect(isLoopbackEndpoint('not a url')).toBe(false);
});

test('disconnect: the table stops answering at once, and close() still ends it', async () => {
  const dying = await startEmbeddedDynamo();
  const client = localDynamoClient(dying.endpoint);
  await ensureStateTable(dying.endpoint, 'gate-state');
  await dying.disconnect();
  await expect(client.send(new DescribeTableCommand({ TableName: 'gate-state' }))).rejects.toThrow();
  client.destroy();
  await dying.disconnect(); // twice is fine
  await dying.close();
});
