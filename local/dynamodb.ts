/**
 * Local DynamoDB: an in-process dynalite (in memory, loopback only) for `npm start` and tests,
 * a client factory for a local endpoint, and the table creation that runs only on loopback (an
 * endpoint elsewhere is someone's real table: the stack creates that one, never this code).
 */
import { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { shortCallSettings } from '../shared/aws-clients';
import { loopbackHosts } from '../shared/config/fields';
import { createStateTable } from '../shared/state/dynamodb-store';

export interface EmbeddedDynamo {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /**
   * Stops answering (every connection closed, nothing accepted) but keeps the database open, so
   * that operations already under way finish instead of failing inside dynalite: a table that
   * dies, as tests need it. `close()` still ends it.
   */
  disconnect(): Promise<void>;
  close(): Promise<void>;
}

export async function startEmbeddedDynamo(): Promise<EmbeddedDynamo> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('dynalite did not listen on a TCP port');
  let listening = true;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    disconnect: () =>
      new Promise<void>((resolve) => {
        // The plain HTTP close: dynalite's own close also closes its database.
        if (!listening) return resolve();
        listening = false;
        server.closeAllConnections();
        Server.prototype.close.call(server, () => resolve());
      }),
    close: () =>
      new Promise<void>((resolve) => {
        // Clients keep connections alive; dynalite's graceful close would wait for them.
        server.closeAllConnections();
        // After disconnect() the HTTP server is already closed: dynalite then leaves its database to the garbage collector.
        server.close(() => resolve());
      }),
  };
}

export function isLoopbackEndpoint(endpoint: string): boolean {
  try {
    return loopbackHosts.has(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

/**
 * A client for a local endpoint: dummy credentials and region (a local endpoint checks no
 * signature), and short timeouts so a dead endpoint fails fast instead of hanging a request.
 */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...shortCallSettings,
  });
}

export type EnsureTableOutcome = 'created' | 'exists' | 'skipped-not-loopback';

/** Creates the state table when the endpoint is on loopback and the table is missing. */
export async function ensureStateTable(endpoint: string, tableName: string): Promise<EnsureTableOutcome> {
  if (!isLoopbackEndpoint(endpoint)) return 'skipped-not-loopback';
  const client = localDynamoClient(endpoint);
  try {
    return (await createStateTable(client, tableName)) ? 'created' : 'exists';
  } finally {
    client.destroy();
  }
}
