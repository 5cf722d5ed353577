/**
 * Local DynamoDB: an in-process dynalite (in memory, loopback only) for `npm start` and tests,
 * a client factory for a local endpoint, and the table creation that runs only on loopback (an
 * endpoint elsewhere is someone's real table: the stack creates that one, never this code).
 * `npm start` gives its dynalite an access key: then only requests signed with it are answered
 * (docs/operators/running-locally.md, "Only their gates").
 */
import { type RequestListener, Server } from 'node:http';
import { PassThrough } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { shortCallSettings } from '../shared/aws-clients';
import { loopbackHosts } from '../shared/config/fields';
import { createStateTable } from '../shared/state/dynamodb-store';
import type { TableReadyOptions } from '../shared/state/dynamodb-table';
import type { LocalAccessKey } from './access-key';
import { signedOnly } from './signed-requests';

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

export interface EmbeddedDynamoOptions {
  /** Answer only requests signed with this key (403 otherwise). Default: any request, as `npx dynalite` does. */
  accessKey?: LocalAccessKey;
  /** Ms a new table stays CREATING; default 0 (dynalite's own default is 500). */
  createTableMs?: number;
}

export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const server = dynalite({ createTableMs: options.createTableMs ?? 0 });
  if (options.accessKey) requireSignature(server, options.accessKey);
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

/**
 * Puts the signature check in front of dynalite's own request handler, in its process: no
 * unchecked port is ever open. dynalite reads the request as a stream, so it gets the body
 * already read, replayed.
 */
function requireSignature(server: Server, accessKey: LocalAccessKey): void {
  const [dynaliteHandler] = server.listeners('request') as RequestListener[];
  if (!dynaliteHandler || server.listenerCount('request') !== 1) throw new Error('dynalite has no single request handler to guard');
  server.removeAllListeners('request');
  server.on(
    'request',
    signedOnly(accessKey, 'dynamodb', (request, response, body) => {
      const replay = Object.assign(new PassThrough(), { headers: request.headers, method: request.method, url: request.url });
      dynaliteHandler(replay as unknown as Parameters<RequestListener>[0], response);
      replay.end(body);
    }),
  );
}

export function isLoopbackEndpoint(endpoint: string): boolean {
  try {
    return loopbackHosts.has(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

const anyKey: LocalAccessKey = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * A client for a local endpoint: the local access key (any key for an endpoint that checks
 * none), a fixed region, and short timeouts so a dead endpoint fails fast instead of hanging a
 * request.
 */
export function localDynamoClient(endpoint: string, accessKey: LocalAccessKey = anyKey): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: accessKey.accessKeyId, secretAccessKey: accessKey.secretAccessKey },
    ...shortCallSettings,
  });
}

export type EnsureTableOutcome = 'created' | 'exists' | 'skipped-not-loopback';

export interface EnsureTableOptions extends TableReadyOptions {
  accessKey?: LocalAccessKey;
}

/** Creates the state table when the endpoint is on loopback and the table is missing, and waits until it is ACTIVE. */
export async function ensureStateTable(endpoint: string, tableName: string, options: EnsureTableOptions = {}): Promise<EnsureTableOutcome> {
  if (!isLoopbackEndpoint(endpoint)) return 'skipped-not-loopback';
  const client = localDynamoClient(endpoint, options.accessKey);
  try {
    return (await createStateTable(client, tableName, options)) ? 'created' : 'exists';
  } finally {
    client.destroy();
  }
}
