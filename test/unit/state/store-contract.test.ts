/**
 * One contract for every state store backend (docs/operators/shared-state.md, docs/operators/holds.md and docs/operators/hours-and-overrides.md): the memory
 * store and the DynamoDB store on an in-process dynalite, a fresh table per test.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type EmbeddedDynamo, localDynamoClient, startEmbeddedDynamo } from '../../../local/dynamodb';
import { DynamoDbStore, createStateTable } from '../../../shared/state/dynamodb-store';
import { MemoryStore } from '../../../shared/state/memory-store';
import type { Hold, StateStore } from '../../../shared/state/store';
import { limitContract } from './limit-contract';

let dynamo: EmbeddedDynamo;
let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  client = localDynamoClient(dynamo.endpoint);
});
afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

const backends: Array<[string, () => Promise<StateStore>]> = [
  ['memory', async () => new MemoryStore()],
  [
    'dynamodb',
    async () => {
      const tableName = `gate-state-${(tables += 1)}`;
      await createStateTable(client, tableName);
      return new DynamoDbStore({ client, tableName });
    },
  ],
];

const t0 = Date.parse('2026-11-22T10:00:00.000Z');
const reading = (available: number, checkedAt = t0) => ({ availability: { available, busy: 2, total: 5 }, checkedAt });
const holdFor = (callerId: string, callerName = 'leadco', placedAt = t0, holdMs = 30_000): Hold => ({
  callerName,
  callerId,
  placedAt,
  expiresAt: placedAt + holdMs,
});

describe.each(backends)('%s store', (_name, makeStore) => {
  let store: StateStore;
  beforeEach(async () => {
    store = await makeStore();
  });

  describe('reads, failures and the refresh lease', () => {
    test('an unknown key has no reading, failure or lease', async () => {
      expect(await store.readState('queue:none')).toEqual({});
    });

    test('of 50 concurrent takers exactly one gets the lease', async () => {
      const owners = Array.from({ length: 50 }, (_, index) => `container-${index}`);
      const taken = await Promise.all(owners.map((owner) => store.takeLease('queue:support', owner, t0, 2_000)));
      expect(taken.filter(Boolean)).toHaveLength(1);
      const winner = owners[taken.findIndex(Boolean)];
      expect((await store.readState('queue:support')).lease).toEqual({ owner: winner, until: t0 + 2_000 });
    });

    test('the holder may take its lease again; a lapsed lease goes to the next taker', async () => {
      expect(await store.takeLease('queue:support', 'a', t0, 1_000)).toEqual({ lease: { owner: 'a', until: t0 + 1_000 } });
      expect(await store.takeLease('queue:support', 'a', t0 + 500, 1_000)).toBeDefined();
      expect(await store.takeLease('queue:support', 'b', t0 + 1_499, 1_000)).toBeUndefined();
      expect(await store.takeLease('queue:support', 'b', t0 + 1_500, 1_000)).toBeDefined();
      expect((await store.readState('queue:support')).lease).toEqual({ owner: 'b', until: t0 + 2_500 });
    });

    test('a reading clears the failure and releases the lease of its owner only', async () => {
      await store.takeLease('queue:support', 'a', t0, 1_000);
      await store.putFailure('queue:support', 'b', { kind: 'server', at: t0, streak: 1, retryAt: t0 + 1_000 });
      await store.putReading('queue:support', 'b', reading(3));
      expect(await store.readState('queue:support')).toEqual({ reading: reading(3), lease: { owner: 'a', until: t0 + 1_000 } });
      await store.putReading('queue:support', 'a', reading(4, t0 + 10));
      expect(await store.readState('queue:support')).toEqual({ reading: reading(4, t0 + 10) });
    });

    test('a failure keeps the last reading, round-trips its streak and retryAt, and releases its owner lease', async () => {
      await store.putReading('queue:support', 'a', reading(3));
      await store.takeLease('queue:support', 'a', t0 + 5, 1_000);
      const failure = { kind: 'rate_limited' as const, at: t0 + 20, streak: 3, retryAt: t0 + 20 + 8_000 };
      await store.putFailure('queue:support', 'a', failure);
      expect(await store.readState('queue:support')).toEqual({ reading: reading(3), failure });
    });

    test("a shared read's snapshot round-trips with its reading; a later reading without one drops it", async () => {
      const shared = { ...reading(2), snapshot: { '101': 'available', '102': 'busy', '103': 'available' } };
      await store.takeLease('aircall:tg/aircall', 'a', t0, 1_000);
      await store.putReading('aircall:tg/aircall', 'a', shared);
      expect(await store.readState('aircall:tg/aircall')).toEqual({ reading: shared });
      await store.putFailure('aircall:tg/aircall', 'a', { kind: 'server', at: t0 + 5, streak: 1, retryAt: t0 + 1_005 });
      expect((await store.readState('aircall:tg/aircall')).reading).toEqual(shared);
      await store.putReading('aircall:tg/aircall', 'a', reading(1, t0 + 10));
      expect(await store.readState('aircall:tg/aircall')).toEqual({ reading: reading(1, t0 + 10) });
    });

    test('taking the lease returns what the key holds, in the same write (a reading written since it was last read included)', async () => {
      await store.putReading('queue:support', 'other', reading(3));
      const failure = { kind: 'server' as const, at: t0 + 5, streak: 1, retryAt: t0 + 1_005 };
      await store.putFailure('queue:support', 'other', failure);
      expect(await store.takeLease('queue:support', 'a', t0 + 10, 1_000)).toEqual({ reading: reading(3), failure, lease: { owner: 'a', until: t0 + 1_010 } });
    });

    test('keys are independent', async () => {
      await store.putReading('queue:a', 'x', reading(1));
      await store.takeLease('queue:b', 'y', t0, 1_000);
      expect(await store.readState('queue:a')).toEqual({ reading: reading(1) });
      expect(await store.readState('queue:b')).toEqual({ lease: { owner: 'y', until: t0 + 1_000 } });
    });
  });

  describe('Retry-After blocks', () => {
    test('a block stands until its end; an earlier one does not shorten it; a later one extends it', async () => {
      expect(await store.blockedUntil('tg/aircall', t0)).toBeUndefined();
      await store.block('tg/aircall', t0 + 5_000);
      await store.block('tg/aircall', t0 + 1_000);
      expect(await store.blockedUntil('tg/aircall', t0)).toBe(t0 + 5_000);
      expect(await store.blockedUntil('tg/aircall', t0 + 4_999)).toBe(t0 + 5_000);
      expect(await store.blockedUntil('tg/aircall', t0 + 5_000)).toBeUndefined();
      await store.block('tg/aircall', t0 + 9_000);
      expect(await store.blockedUntil('tg/aircall', t0 + 5_000)).toBe(t0 + 9_000);
      expect(await store.blockedUntil('tg/other', t0)).toBeUndefined();
    });
  });

  describe('vendor budgets', () => {
    test('100 concurrent spends on a budget of 30 pay exactly 30; the next minute starts afresh', async () => {
      const spent = await Promise.all(Array.from({ length: 100 }, () => store.spendBudget('tg/korai', t0 + 10, 30)));
      expect(spent.filter(Boolean)).toHaveLength(30);
      expect(await store.spendBudget('tg/korai', t0 + 59_999, 30)).toBe(false);
      expect(await store.spendBudget('tg/korai', t0 + 60_000, 30)).toBe(true);
      expect(await store.spendBudget('tg/other', t0, 30)).toBe(true);
    });

    test('a spend of several calls is taken whole or not at all', async () => {
      expect(await store.spendBudget('tg/korai', t0, 10, 7)).toBe(true);
      expect(await store.spendBudget('tg/korai', t0, 10, 4)).toBe(false);
      expect(await store.spendBudget('tg/korai', t0, 10, 3)).toBe(true);
      expect(await store.spendBudget('tg/korai', t0, 10, 1)).toBe(false);
      expect(await store.spendBudget('tg/fresh', t0, 10, 11)).toBe(false);
      expect(await store.spendBudget('tg/fresh', t0, 10, 10)).toBe(true);
    });
  });

  describe('holds', () => {
    test('30 concurrent callers on 4 holdable agents place exactly 4 holds', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, index) => store.placeHold('support', holdFor(`+1555000${String(index).padStart(4, '0')}`), 4, t0)),
      );
      const placed = outcomes.filter((outcome) => outcome.placed);
      expect(placed).toHaveLength(4);
      expect(await store.holds('support', t0)).toHaveLength(4);
      expect(outcomes.filter((outcome) => !outcome.placed).every((outcome) => outcome.heldByOthers === 4)).toBe(true);
    });

    test('the same caller and callerId get the same hold back, with the same expiresAt', async () => {
      const first = await store.placeHold('support', holdFor('+15550001'), 2, t0);
      const again = await store.placeHold('support', holdFor('+15550001', 'leadco', t0 + 5_000), 2, t0 + 5_000);
      expect(first).toMatchObject({ placed: true, reused: false, hold: holdFor('+15550001') });
      expect(again).toEqual({ placed: true, reused: true, hold: holdFor('+15550001'), heldByOthers: 0, lapsed: [] });
      // Another caller naming the same callerId is another call.
      expect(await store.placeHold('support', holdFor('+15550001', 'otherco'), 2, t0)).toMatchObject({ placed: true, reused: false, heldByOthers: 1 });
      expect(await store.holds('support', t0)).toHaveLength(2);
    });

    test('a lapsed hold frees its agent and is reported as lapsed', async () => {
      await store.placeHold('support', holdFor('+15550001'), 1, t0);
      expect(await store.placeHold('support', holdFor('+15550002', 'leadco', t0 + 29_999), 1, t0 + 29_999)).toMatchObject({ placed: false, heldByOthers: 1 });
      const later = await store.placeHold('support', holdFor('+15550002', 'leadco', t0 + 30_000), 1, t0 + 30_000);
      expect(later).toMatchObject({ placed: true, reused: false, heldByOthers: 0, lapsed: [holdFor('+15550001')] });
      expect(await store.holds('support', t0 + 30_000)).toEqual([holdFor('+15550002', 'leadco', t0 + 30_000)]);
    });

    test('only the caller that placed a hold releases it', async () => {
      await store.placeHold('support', holdFor('+15550001'), 3, t0);
      await store.placeHold('support', holdFor('+15550002'), 3, t0);
      expect(await store.releaseHold('support', 'otherco', '+15550001', t0 + 1)).toBe(false);
      expect(await store.releaseHold('support', 'leadco', '+15550001', t0 + 1)).toBe(true);
      expect(await store.releaseHold('support', 'leadco', '+15550001', t0 + 2)).toBe(false);
      expect(await store.holds('support', t0 + 2)).toEqual([holdFor('+15550002')]);
      // An expired hold is no longer there to release.
      expect(await store.releaseHold('support', 'leadco', '+15550002', t0 + 30_000)).toBe(false);
    });
  });

  describe('overrides', () => {
    test('put, get, expiry and delete', async () => {
      expect(await store.getOverride('support', t0)).toBeUndefined();
      const closed = { state: 'closed' as const, until: t0 + 60_000, note: 'storm', setBy: 'ops', setAt: t0 };
      await store.putOverride('support', closed);
      expect(await store.getOverride('support', t0 + 59_999)).toEqual(closed);
      expect(await store.getOverride('support', t0 + 60_000)).toBeUndefined();
      const open = { state: 'open' as const, setBy: 'ops', setAt: t0 + 1 };
      await store.putOverride('support', open);
      expect(await store.getOverride('support', t0 + 365 * 86_400_000)).toEqual(open);
      expect(await store.getOverride('sales', t0)).toBeUndefined();
      expect(await store.deleteOverride('support')).toBe(true);
      expect(await store.deleteOverride('support')).toBe(false);
      expect(await store.getOverride('support', t0)).toBeUndefined();
    });
  });

  // docs/operators/limits.md: counters, hold slots, duplicate marks.
  limitContract(() => store);
});
