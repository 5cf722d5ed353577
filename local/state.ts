/**
 * Where a local gate keeps its state (docs/operators/running-locally.md#where-the-state-lives): by default an
 * embedded dynalite (in memory, loopback) with the table created at start, so the local path is
 * the AWS path; `--state memory` keeps it in the process; an existing DynamoDB-compatible
 * endpoint is shared by every gate pointed at it, as one table is by Lambda's containers. The
 * gate's runtime finds the table through the same environment variables Lambda sets. Either way
 * the table is ACTIVE before this returns (docs/operators/running-locally.md, "Ready before
 * serving").
 */
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ConfigError } from '../shared/errors';
import { StateTableNotReadyError, defaultTableReadySeconds, waitForStateTable } from '../shared/state/dynamodb-table';
import { type LocalAccessKey, accessKeyFromEnv, newLocalAccessKey } from './access-key';
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
  /**
   * The key this process signs with. Default: for an existing endpoint the one in
   * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (a second gate's, from the first one's banner),
   * else a new random one.
   */
  accessKey?: LocalAccessKey;
  /** How long the table may stay CREATING; default 30 s. */
  readyWithinSeconds?: number;
}

/** Where the state lives, for the banner and for a second gate that should share it. */
export type LocalState = { kind: 'memory' } | { kind: 'dynamodb'; endpoint: string; tableName: string; embedded: boolean; table: 'created' | 'exists' };

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

export interface PreparedLocalState {
  state: LocalState;
  /** The key this process signs with; an embedded dynalite answers only it. */
  accessKey: LocalAccessKey;
  close(): Promise<void>;
}

/**
 * Prepares the state and points this process's environment at it (`GATE_STATE_TABLE`,
 * `AWS_ENDPOINT_URL_DYNAMODB`), before the runtime is built; a table is ACTIVE when this
 * returns. `close` stops an embedded dynalite.
 */
export async function prepareLocalState(options: LocalStateOptions): Promise<PreparedLocalState> {
  if (options.state === 'memory') {
    delete process.env.GATE_STATE_TABLE;
    return { state: { kind: 'memory' }, accessKey: options.accessKey ?? newLocalAccessKey(), close: async () => undefined };
  }
  const tableName = options.stateTable ?? defaultStateTable;
  const inherited = options.dynamodbEndpoint === undefined ? undefined : accessKeyFromEnv(process.env);
  const accessKey = options.accessKey ?? inherited ?? newLocalAccessKey();
  let embedded: EmbeddedDynamo | undefined;
  const endpoint = options.dynamodbEndpoint ?? (embedded = await startEmbeddedDynamo({ accessKey })).endpoint;
  try {
    const table = await readyStateTable(endpoint, tableName, { accessKey, readyWithinSeconds: options.readyWithinSeconds });
    process.env.GATE_STATE_TABLE = tableName;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
    process.env.AWS_REGION ??= 'us-east-1';
    const state: LocalState = { kind: 'dynamodb', endpoint, tableName, embedded: embedded !== undefined, table };
    return { state, accessKey, close: async () => embedded?.close() };
  } catch (error) {
    await embedded?.close();
    throw error;
  }
}

/**
 * The readiness step of every local gate: creates the table on a loopback endpoint when missing
 * (elsewhere it must exist: the stack owns real tables), and either way waits until it is ACTIVE;
 * a ConfigError naming the endpoint and the table otherwise.
 */
export async function readyStateTable(
  endpoint: string,
  tableName: string,
  options: { accessKey: LocalAccessKey; readyWithinSeconds?: number },
): Promise<'created' | 'exists'> {
  if (!URL.canParse(endpoint)) throw new ConfigError(`--dynamodb-endpoint must be a URL such as http://127.0.0.1:8000, got "${endpoint}"`);
  if (isLoopbackEndpoint(endpoint)) {
    try {
      const outcome = await ensureStateTable(endpoint, tableName, options);
      return outcome === 'created' ? 'created' : 'exists';
    } catch (error) {
      const message = `cannot create the state table "${tableName}" at ${endpoint}: ${(error as Error).message}${keyHint(error)}`;
      throw notReady(error, endpoint, tableName, options.readyWithinSeconds) ?? new ConfigError(message);
    }
  }
  const client = localDynamoClient(endpoint, options.accessKey);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    await waitForStateTable(client, tableName, options);
    return 'exists';
  } catch (error) {
    const late = notReady(error, endpoint, tableName, options.readyWithinSeconds);
    if (late) throw late;
    if (error instanceof ResourceNotFoundException) {
      throw new ConfigError(
        `the state table "${tableName}" does not exist at ${endpoint}, and a table is created only on a loopback endpoint: create it there (key "pk", a string) or name an existing one with --state-table`,
      );
    }
    throw new ConfigError(`cannot reach the state table "${tableName}" at ${endpoint}: ${(error as Error).message}${keyHint(error)}`);
  } finally {
    client.destroy();
  }
}

/** An endpoint that refused the signature is most likely another gate's embedded dynalite: say which key it wants. */
function keyHint(error: unknown): string {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 403
    ? " (the endpoint refused this gate's access key: a dynalite that npm start runs answers only the key in its banner; start this gate with the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY the banner prints)"
    : '';
}

/** The stop `npm start` makes when a table stays CREATING (or unreadable) too long, naming the endpoint and the table. */
function notReady(error: unknown, endpoint: string, tableName: string, readyWithinSeconds = defaultTableReadySeconds): ConfigError | undefined {
  if (!(error instanceof StateTableNotReadyError)) return undefined;
  return new ConfigError(
    `the state table "${tableName}" at ${endpoint} is not ACTIVE after ${readyWithinSeconds} s: the gate serves nothing before its table is ready (is the endpoint answering, and is the table being created?)`,
  );
}
