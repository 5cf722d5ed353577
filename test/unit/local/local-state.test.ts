/**
 * Running locally (docs/operators/running-locally.md#where-the-state-lives): where `npm start` and `npm run check` keep the state, from flags or the
 * environment; an embedded dynalite by default, a table created only on a loopback endpoint.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import { DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { localDynamoClient } from '../../../local/dynamodb';
import { defaultStateTable, prepareLocalState, stateOptionsFrom } from '../../../local/state';
import { ConfigError } from '../../../shared/errors';
import { DynamoDbStore, createStateTable } from '../../../shared/state/dynamodb-store';

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

describe('stateOptionsFrom', () => {
  it('npm start defaults to dynamodb, npm run check to memory; an endpoint (flag or env) means dynamodb', () => {
    expect(stateOptionsFrom({}, {}, 'dynamodb')).toEqual({ state: 'dynamodb' });
    expect(stateOptionsFrom({}, {}, 'memory')).toEqual({ state: 'memory' });
    expect(stateOptionsFrom({ 'dynamodb-endpoint': 'http://127.0.0.1:8000', 'state-table': 'tbl' }, {}, 'memory')).toEqual({
      state: 'dynamodb',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      stateTable: 'tbl',
    });
    expect(stateOptionsFrom({}, { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9', GATE_STATE_TABLE: 'envtbl' }, 'memory')).toEqual({
      state: 'dynamodb',
      dynamodbEndpoint: 'http://127.0.0.1:9',
      stateTable: 'envtbl',
    });
    expect(stateOptionsFrom({ state: 'memory' }, {}, 'dynamodb')).toEqual({ state: 'memory' });
  });

  it('refuses an unknown --state and --state memory with an endpoint', () => {
    expect(() => stateOptionsFrom({ state: 'redis' }, {}, 'dynamodb')).toThrow(ConfigError);
    expect(() => stateOptionsFrom({ state: 'memory', 'dynamodb-endpoint': 'http://127.0.0.1:8000' }, {}, 'dynamodb')).toThrow(/--state memory/);
  });
});

async function dynaliteOn(host: string, createTableMs = 0): Promise<{ server: Server; endpoint: string }> {
  const server = dynalite({ createTableMs });
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as import('node:net').AddressInfo;
  return { server, endpoint: `http://${host}:${port}` };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('prepareLocalState', () => {
  it('by default starts an embedded dynalite, creates the table and points the runtime at it; close() stops it', async () => {
    const local = await prepareLocalState({});
    if (local.state.kind !== 'dynamodb') throw new Error('expected dynamodb');
    expect(local.state).toMatchObject({
      embedded: true,
      tableName: defaultStateTable,
      table: 'created',
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(process.env.GATE_STATE_TABLE).toBe(defaultStateTable);
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(local.state.endpoint);
    const client = localDynamoClient(local.state.endpoint, local.accessKey);
    try {
      await new DynamoDbStore({ client, tableName: defaultStateTable }).putReading('queue:x', 'o', { availability: { available: 1 }, checkedAt: 1 });
      await local.close();
      await expect(fetch(local.state.endpoint)).rejects.toThrow();
    } finally {
      client.destroy();
    }
  });

  it('--state memory: no table, and a GATE_STATE_TABLE in the environment is dropped', async () => {
    process.env.GATE_STATE_TABLE = 'left-over';
    const local = await prepareLocalState({ state: 'memory' });
    expect(local.state).toEqual({ kind: 'memory' });
    expect(process.env.GATE_STATE_TABLE).toBeUndefined();
  });

  it('an existing loopback endpoint: the table is created when missing, then found', async () => {
    const { server, endpoint } = await dynaliteOn('127.0.0.1');
    try {
      const first = await prepareLocalState({ dynamodbEndpoint: endpoint, stateTable: 'shared-state' });
      const second = await prepareLocalState({ dynamodbEndpoint: endpoint, stateTable: 'shared-state' });
      expect(first.state).toEqual({ kind: 'dynamodb', endpoint, tableName: 'shared-state', embedded: false, table: 'created' });
      expect(second.state).toMatchObject({ table: 'exists', embedded: false });
      await second.close();
      // Closing a gate that did not start the endpoint leaves it running for the others.
      expect((await fetch(endpoint, { method: 'POST' })).status).toBeGreaterThan(0);
    } finally {
      await closeServer(server);
    }
  });

  it('a non-loopback endpoint: a missing table is a clear error, never created; an existing one is used', async () => {
    // 127.0.0.2 reaches this machine but is not one of the loopback names the table creation trusts.
    const { server, endpoint } = await dynaliteOn('127.0.0.2');
    try {
      await expect(prepareLocalState({ dynamodbEndpoint: endpoint, stateTable: 'remote-state' })).rejects.toThrow(
        new ConfigError(
          `the state table "remote-state" does not exist at ${endpoint}, and a table is created only on a loopback endpoint: create it there (key "pk", a string) or name an existing one with --state-table`,
        ),
      );
      const client = localDynamoClient(endpoint);
      await createStateTable(client, 'remote-state');
      client.destroy();
      expect((await prepareLocalState({ dynamodbEndpoint: endpoint, stateTable: 'remote-state' })).state).toMatchObject({ table: 'exists' });
    } finally {
      await closeServer(server);
    }
  });
});

describe('ready before serving', () => {
  it('a table that stays CREATING stops the start with a message naming the endpoint and the table', async () => {
    const { server, endpoint } = await dynaliteOn('127.0.0.1', 1_500);
    try {
      const started = performance.now();
      await expect(prepareLocalState({ dynamodbEndpoint: endpoint, stateTable: 'slow-state', readyWithinSeconds: 0.5 })).rejects.toThrow(
        new ConfigError(
          `the state table "slow-state" at ${endpoint} is not ACTIVE after 0.5 s: the gate serves nothing before its table is ready (is the endpoint answering, and is the table being created?)`,
        ),
      );
      expect(performance.now() - started).toBeLessThan(1_400);
      expect(process.env.GATE_STATE_TABLE).toBeUndefined();
      // Given the time, the same table is found ACTIVE.
      expect((await prepareLocalState({ dynamodbEndpoint: endpoint, stateTable: 'slow-state', readyWithinSeconds: 5 })).state).toMatchObject({
        table: 'exists',
      });
    } finally {
      await closeServer(server);
    }
  });
});

describe('the embedded dynalite answers only its gate', () => {
  it("403 for an unsigned request, a dummy signature and another key; the gate's own key works", async () => {
    const local = await prepareLocalState({});
    if (local.state.kind !== 'dynamodb') throw new Error('expected dynamodb');
    const { endpoint } = local.state;
    const deleteTable = (headers: Record<string, string> = {}) =>
      fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.DeleteTable', ...headers },
        body: JSON.stringify({ TableName: defaultStateTable }),
      });
    const strangers = [localDynamoClient(endpoint), localDynamoClient(endpoint, { accessKeyId: local.accessKey.accessKeyId, secretAccessKey: 'guessed' })];
    const own = localDynamoClient(endpoint, local.accessKey);
    try {
      expect((await deleteTable()).status).toBe(403);
      const date = new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
      const dummy = `AWS4-HMAC-SHA256 Credential=local/${date.slice(0, 8)}/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'a'.repeat(64)}`;
      expect((await deleteTable({ authorization: dummy, 'x-amz-date': date })).status).toBe(403);
      for (const stranger of strangers) {
        const failure = await stranger
          .send(new DeleteTableCommand({ TableName: defaultStateTable }))
          .catch((error: { $metadata?: { httpStatusCode?: number } }) => error);
        expect(failure.$metadata?.httpStatusCode).toBe(403);
      }
      const { Table } = await own.send(new DescribeTableCommand({ TableName: defaultStateTable }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      // A second gate without the key is told which key it needs; with it (from its environment), it shares the table.
      process.env.AWS_ACCESS_KEY_ID = 'AKIDSOMEONEELSE';
      await expect(prepareLocalState({ dynamodbEndpoint: endpoint })).rejects.toThrow(
        /refused this gate's access key: .* AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY the banner prints/,
      );
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: local.accessKey.accessKeyId, AWS_SECRET_ACCESS_KEY: local.accessKey.secretAccessKey });
      const second = await prepareLocalState({ dynamodbEndpoint: endpoint });
      expect(second).toMatchObject({ state: { table: 'exists', embedded: false }, accessKey: local.accessKey });
    } finally {
      for (const client of [...strangers, own]) client.destroy();
      await local.close();
    }
  });
});
