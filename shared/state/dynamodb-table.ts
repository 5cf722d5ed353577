/**
 * The state table itself, for local endpoints: the deployed stack creates the real one from the
 * same definition (key `pk`, TTL attribute `expiresAt`).
 */
import { CreateTableCommand, type DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { stateTableDefinition } from './dynamodb-items';

/** Creates the state table (on demand, key `pk`); false when it already exists. For local use: the stack owns the real one. */
export async function createStateTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const { partitionKey } = stateTableDefinition;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ResourceInUseException) return false;
    throw error;
  }
}
