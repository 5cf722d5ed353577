/**
 * The few single-item calls every DynamoDB record is written on (style: a narrow port, the record
 * rules above it): a consistent get, a conditional put, update and delete. A failed condition is
 * `false` (or undefined), never an error; every call carries the store's AbortSignal.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type Item, type ItemUpdate, keyOf, updateExpression } from './dynamodb-items';

export interface ItemCondition {
  expression: string;
  names: string[];
  values: Item;
}

export class TableCalls {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly sendOptions: () => { abortSignal?: AbortSignal },
  ) {}

  async get(pk: string): Promise<Item | undefined> {
    const command = new GetItemCommand({ TableName: this.tableName, Key: keyOf(pk), ConsistentRead: true });
    return (await this.client.send(command, this.sendOptions())).Item;
  }

  /** False when its condition failed. */
  put(input: Omit<PutItemCommandInput, 'TableName'>): Promise<boolean> {
    return conditional(this.client.send(new PutItemCommand({ TableName: this.tableName, ...input }), this.sendOptions()));
  }

  /** One UpdateItem; false when its condition failed. */
  update(pk: string, update: ItemUpdate): Promise<boolean> {
    const command = new UpdateItemCommand({ TableName: this.tableName, Key: keyOf(pk), ...updateExpression(update) });
    return conditional(this.client.send(command, this.sendOptions()));
  }

  /** One UpdateItem returning the item as written (ALL_NEW) or what it replaced (UPDATED_OLD); undefined when its condition failed. */
  async updateReturning(pk: string, update: ItemUpdate, returnValues: 'ALL_NEW' | 'UPDATED_OLD' = 'ALL_NEW'): Promise<Item | undefined> {
    const command = new UpdateItemCommand({ TableName: this.tableName, Key: keyOf(pk), ...updateExpression(update), ReturnValues: returnValues });
    let written: Item | undefined;
    const done = await conditional(this.client.send(command, this.sendOptions()).then((output) => (written = output.Attributes ?? {})));
    return done ? written : undefined;
  }

  /** Deletes the item (when `condition` holds); the item deleted, or undefined when there was none or the condition failed. */
  async remove(pk: string, condition?: ItemCondition): Promise<Item | undefined> {
    const command = new DeleteItemCommand({
      TableName: this.tableName,
      Key: keyOf(pk),
      ReturnValues: 'ALL_OLD',
      ...(condition && {
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: Object.fromEntries(condition.names.map((name) => [`#${name}`, name])),
        ExpressionAttributeValues: condition.values,
      }),
    });
    let deleted: Item | undefined;
    await conditional(this.client.send(command, this.sendOptions()).then((output) => (deleted = output.Attributes)));
    return deleted;
  }
}

/** True when the write happened, false when its condition failed; other errors propagate. */
async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
