/**
 * The state table itself, for local endpoints: the deployed stack creates the real one from the
 * same definition (key `pk`, TTL attribute `expiresAt`). A new table is not usable until the
 * endpoint reports it ACTIVE (DynamoDB, DynamoDB Local and dynalite all keep it CREATING for a
 * while), so creating it means waiting for that too (README "Locally: where `npm start` keeps
 * its state").
 */
import { CreateTableCommand, type DynamoDBClient, ResourceInUseException, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { stateTableDefinition } from './dynamodb-items';

/** How long a table may stay CREATING before the gate gives up: 30 s. */
export const defaultTableReadySeconds = 30;

/** The table did not become ACTIVE in time (or could not be described at all). */
export class StateTableNotReadyError extends Error {
  override readonly name = 'StateTableNotReadyError';
}

export interface TableReadyOptions {
  /** Default 30 s. */
  readyWithinSeconds?: number;
}

/**
 * Creates the state table (on demand, key `pk`) and waits until it is ACTIVE; false when it
 * already existed (it is still waited for: another gate may have just created it). For local use:
 * the stack owns the real one.
 */
export async function createStateTable(client: DynamoDBClient, tableName: string, options: TableReadyOptions = {}): Promise<boolean> {
  const { partitionKey } = stateTableDefinition;
  let created = true;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    created = false;
  }
  await waitForStateTable(client, tableName, options);
  return created;
}

/** Polls DescribeTable (SDK waiter, 0.1 s to 1 s apart) until the table is ACTIVE; throws StateTableNotReadyError after `readyWithinSeconds`. */
export async function waitForStateTable(client: DynamoDBClient, tableName: string, options: TableReadyOptions = {}): Promise<void> {
  const maxWaitTime = options.readyWithinSeconds ?? defaultTableReadySeconds;
  try {
    await waitUntilTableExists({ client, maxWaitTime, minDelay: Math.min(0.1, maxWaitTime / 2), maxDelay: 1 }, { TableName: tableName });
  } catch (error) {
    throw new StateTableNotReadyError(`the table "${tableName}" did not become ACTIVE within ${maxWaitTime} s`, { cause: error });
  }
}
