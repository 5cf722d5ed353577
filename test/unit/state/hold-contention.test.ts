/**
 * A hold list that keeps changing under the DynamoDB store (more writers than its optimistic
 * attempts): the placement is refused, never thrown. A throw would reach the resilient store,
 * which serves the call from the container's memory, where a second container could be promised
 * the same agent (docs/operators/holds.md: holds are atomic across containers).
 */
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbStore } from '../../../shared/state/dynamodb-store';
import { ResilientStore } from '../../../shared/state/resilient-store';

const now = Date.parse('2026-11-22T10:00:00.000Z');
const hold = { callerName: 'acme', callerId: '+1555', placedAt: now, expiresAt: now + 30_000 };

function contendedStore() {
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const mock = mockClient(client);
  // Every read sees the list at version 1; every conditional write loses to another writer.
  mock.on(GetItemCommand).resolves({ Item: { pk: { S: 'holds#support' }, holds: { S: '[]' }, version: { N: '1' } } });
  mock.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'lost', $metadata: {} }));
  return { mock, store: new DynamoDbStore({ client, tableName: 'state', holdAttempts: 3 }) };
}

it('refuses the placement after its attempts, reporting the reading full', async () => {
  const { mock, store } = contendedStore();
  await expect(store.placeHold('support', hold, 2, now)).resolves.toEqual({ placed: false, heldByOthers: 2, lapsed: [] });
  expect(mock.commandCalls(PutItemCommand)).toHaveLength(3);
});

it('behind the resilient store the refusal stands: nothing is placed in the container memory', async () => {
  const { store } = contendedStore();
  const unavailable = jest.fn();
  const resilient = new ResilientStore({ primary: store, budgetMs: 1_000, onUnavailable: unavailable, now: () => now });
  await expect(resilient.placeHold('support', hold, 2, now)).resolves.toMatchObject({ placed: false });
  expect(unavailable).not.toHaveBeenCalled();
  expect(await resilient.fallback.holds('support', now)).toEqual([]);
});
