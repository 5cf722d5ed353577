/**
 * Where a local gate keeps its state (docs/operators/running-locally.md#where-npm-start-keeps-its-state): by default an
 * embedded dynalite (in memory, loopback) with the table created at start, so the local path is
 * the AWS path; `--state memory` keeps it in the process; an existing DynamoDB-compatible
 * endpoint is shared by every gate pointed at it, as one table is by Lambda's containers. The
 * gate's runtime finds the table through the same environment variables Lambda sets.
 */
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ConfigError } from '../shared/errors';
import { type EmbeddedDynamo, ensureStateTable, isLoopbackEndpoint, localDynamoClient, startEmbeddedDynamo } from './dynamodb';

export const defaultStateTable = 'transfer-gate-state';

export type StateKind = 'dynamodb' | 'memory';

export interface LocalStateOptions {
  /** Default 'dynamodb'. */
  state?: StateKind;
  /** An existing endpoint; without it, 'dynamodb' starts an embedded dynalite. */
  dynamodbEndpoint?: string;
  /** Default `transfer-gate-state`. */
  stateTable?: string;
}

/** Where the state lives, for the banner and for a second gate that should share it. */
export type LocalState =
  | { kind: 'memory' }
  | { kind: 'dynamodb'; endpoint: string; tableName: string; embedded: boolean; table: 'created' | 'exists' };

/** The flags and environment variables `npm start` and `npm run check` share; `fallback` is the kind without any. */
export function stateOptionsFrom(
  values: { state?: string; 'dynamodb-endpoint'?: string; 'state-table'?: string },
  env: NodeJS.ProcessEnv,
  fallback: StateKind,
): LocalStateOptions {
  const dynamodbEndpoint = values['dynamodb-endpoint'] ?? env.AWS_ENDPOINT_URL_DYNAMODB;
  const stateTable = values['state-table'] ?? env.GATE_STATE_TABLE;
  if (values.state !== undefined && values.state !== 'dynamodb' && values.state !== 'memory') {
    throw new ConfigError(`--state must be "dynamodb" or "memory", got "${values.state}"`);
  }
  const state = (values.state as StateKind | undefined) ?? (dynamodbEndpoint ? 'dynamodb' : fallback);
  if (state === 'memory' && (values['dynamodb-endpoint'] || values['state-table'])) {
    throw new ConfigError('--state memory keeps the state in this process: drop --dynamodb-endpoint and --state-table, or drop --state memory');
  }
  return { state, ...(dynamodbEndpoint && { dynamodbEndpoint }), ...(stateTable && { stateTable }) };
}

/**
 * Prepares the state and points this process's environment at it (`GATE_STATE_TABLE`,
 * `AWS_ENDPOINT_URL_DYNAMODB`), before the runtime is built. `close` stops an embedded dynalite.
 */
export async function prepareLocalState(options: LocalStateOptions): Promise<{ state: LocalState; close(): Promise<void> }> {
  if (options.state === 'memory') {
    delete process.env.GATE_STATE_TABLE;
    return { state: { kind: 'memory' }, close: async () => undefined };
  }
  const tableName = options.stateTable ?? defaultStateTable;
  let embedded: EmbeddedDynamo | undefined;
  const endpoint = options.dynamodbEndpoint ?? (embedded = await startEmbeddedDynamo()).endpoint;
  try {
    const table = await tableAt(endpoint, tableName);
    process.env.GATE_STATE_TABLE = tableName;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
    process.env.AWS_REGION ??= 'us-east-1';
    return { state: { kind: 'dynamodb', endpoint, tableName, embedded: embedded !== undefined, table }, close: async () => embedded?.close() };
  } catch (error) {
    await embedded?.close();
    throw error;
  }
}

/** Creates the table on a loopback endpoint when missing; elsewhere it must exist (the stack owns real tables). */
async function tableAt(endpoint: string, tableName: string): Promise<'created' | 'exists'> {
  if (!URL.canParse(endpoint)) throw new ConfigError(`--dynamodb-endpoint must be a URL such as http://127.0.0.1:8000, got "${endpoint}"`);
  if (isLoopbackEndpoint(endpoint)) {
    try {
      const outcome = await ensureStateTable(endpoint, tableName);
      return outcome === 'created' ? 'created' : 'exists';
    } catch (error) {
      throw new ConfigError(`cannot create the state table "${tableName}" at ${endpoint}: ${(error as Error).message}`);
    }
  }
  const client = localDynamoClient(endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return 'exists';
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      throw new ConfigError(`the state table "${tableName}" does not exist at ${endpoint}, and a table is created only on a loopback endpoint: create it there (key "pk", a string) or name an existing one with --state-table`);
    }
    throw new ConfigError(`cannot reach the state table "${tableName}" at ${endpoint}: ${(error as Error).message}`);
  } finally {
    client.destroy();
  }
}
