/**
 * The DynamoDB backend: one table, partition key `pk`, one item per record (dynamodb-items.ts).
 * Everything that must hold across containers is ONE conditional write on ONE item (dynalite
 * has no transactions), in the manner of Powertools' idempotency lock (a conditional PutItem
 * that succeeds only when no live lock stands). Every read is consistent, and every SDK call
 * carries the store's AbortSignal so the resilient wrapper can cut it at its budget.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TableCalls } from './dynamodb-calls';
import * as items from './dynamodb-items';
import * as limits from './dynamodb-limits';
import { type Item, itemKey, num, readItemSlackMs, shortSlackMs, str, ttlAfter } from './dynamodb-items';
import {
  type Hold,
  type HoldOutcome,
  type HoldSlot,
  type MarkOutcome,
  type Override,
  type ReadState,
  type SlotOutcome,
  type StateStore,
  type StoredFailure,
  type StoredReading,
  applyHold,
  budgetMinute,
  partitionHolds,
} from './store';

export { stateTableDefinition } from './dynamodb-items';
export { createStateTable } from './dynamodb-table';

export interface DynamoDbStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Cuts every SDK call of this store instance (see `withSignal`). */
  signal?: AbortSignal;
  /** Without a `signal`: cut each SDK call after this many ms (for use without the resilient wrapper). */
  callBudgetMs?: number;
  /** Optimistic hold-list writes tried before giving up under contention. Default 12. */
  holdAttempts?: number;
}

/** A hold list kept changing under us more often than `holdAttempts`. */
export class StateConflictError extends Error {
  override readonly name = 'StateConflictError';
}

const failureAttributes = ['failKind', 'failAt', 'failStreak', 'failRetryAt'];
const leaseAttributes = ['leaseOwner', 'leaseUntil'];

export class DynamoDbStore implements StateStore {
  readonly kind = 'dynamodb';

  private readonly calls: TableCalls;

  constructor(private readonly options: DynamoDbStoreOptions) {
    this.calls = new TableCalls(options.client, options.tableName, () => this.sendOptions());
  }

  /** The same store, its calls cut when `signal` aborts (one per wrapped call). */
  withSignal(signal: AbortSignal): DynamoDbStore {
    return new DynamoDbStore({ ...this.options, signal });
  }

  async readState(key: string): Promise<ReadState> {
    return items.readStateOf(await this.calls.get(itemKey.read(key)));
  }

  /** One UpdateItem that returns the item as written (ALL_NEW): the lease and what the key holds, in one round trip. */
  async takeLease(key: string, owner: string, now: number, leaseMs: number): Promise<ReadState | undefined> {
    const written = await this.calls.updateReturning(itemKey.read(key), {
      set: { leaseOwner: str(owner), leaseUntil: num(now + leaseMs), expiresAt: ttlAfter(now, readItemSlackMs) },
      condition: {
        expression: 'attribute_not_exists(#leaseOwner) OR #leaseUntil <= :now OR #leaseOwner = :leaseOwner',
        names: leaseAttributes,
        values: { ':now': num(now) },
      },
    });
    return written && items.readStateOf(written);
  }

  async putReading(key: string, owner: string, reading: StoredReading): Promise<void> {
    const set: Item = {
      reading: str(JSON.stringify(reading.availability)),
      checkedAt: num(reading.checkedAt),
      expiresAt: ttlAfter(reading.checkedAt, readItemSlackMs),
    };
    // A reading without a snapshot must not leave an older reading's snapshot behind.
    if (reading.snapshot) set.snapshot = str(JSON.stringify(reading.snapshot));
    await this.writeReleasing(key, owner, set, reading.snapshot ? failureAttributes : [...failureAttributes, 'snapshot']);
  }

  async putFailure(key: string, owner: string, failure: StoredFailure): Promise<void> {
    const set = {
      failKind: str(failure.kind),
      failAt: num(failure.at),
      failStreak: num(failure.streak),
      failRetryAt: num(failure.retryAt),
      expiresAt: ttlAfter(failure.at, readItemSlackMs),
    };
    await this.writeReleasing(key, owner, set, []);
  }

  async blockedUntil(secret: string, now: number): Promise<number | undefined> {
    const until = items.numberOf(await this.calls.get(itemKey.block(secret)), 'until');
    return until !== undefined && until > now ? until : undefined;
  }

  async block(secret: string, until: number): Promise<void> {
    // A failed condition means a later block stands: keep it.
    await this.calls.update(itemKey.block(secret), {
      set: { until: num(until), expiresAt: ttlAfter(until, shortSlackMs) },
      condition: { expression: 'attribute_not_exists(#until) OR #until < :until', names: ['until'] },
    });
  }

  async spendBudget(secret: string, now: number, limit: number, calls = 1): Promise<boolean> {
    if (calls > limit) return false;
    const minute = budgetMinute(now);
    return this.calls.update(itemKey.budget(secret, minute), {
      add: { calls: num(calls) },
      set: { expiresAt: ttlAfter((minute + 1) * 60_000, shortSlackMs) },
      condition: { expression: 'attribute_not_exists(#calls) OR #calls <= :headroom', names: ['calls'], values: { ':headroom': num(limit - calls) } },
    });
  }

  async holds(queueId: string, now: number): Promise<Hold[]> {
    return items.holdListOf(await this.calls.get(itemKey.holds(queueId))).holds.filter((hold) => hold.expiresAt > now);
  }

  async placeHold(queueId: string, hold: Hold, maxHolds: number, now: number): Promise<HoldOutcome> {
    try {
      return await this.withHoldList(queueId, now, (holds) => {
        const { outcome, next } = applyHold(holds, hold, maxHolds, now);
        return { result: outcome, next };
      });
    } catch (error) {
      // Too many writers at once: refuse ("no") rather than throw. A throw would send this
      // placement to the container's memory, where it could promise an agent the table gave away.
      if (error instanceof StateConflictError) return { placed: false, heldByOthers: Math.max(0, maxHolds), lapsed: [] };
      throw error;
    }
  }

  async releaseHold(queueId: string, callerName: string, callerId: string, now: number): Promise<boolean> {
    return this.withHoldList(queueId, now, (holds) => {
      const { live, own } = partitionHolds(holds, callerName, callerId, now);
      return own ? { result: true, next: live.filter((held) => held !== own) } : { result: false, next: undefined };
    });
  }

  async getOverride(queueId: string, now: number): Promise<Override | undefined> {
    const override = items.overrideOf(await this.calls.get(itemKey.override(queueId)));
    return override && (override.until === undefined || override.until > now) ? override : undefined;
  }

  async putOverride(queueId: string, override: Override): Promise<void> {
    await this.calls.put({ Item: items.overrideItem(queueId, override) });
  }

  async deleteOverride(queueId: string): Promise<boolean> {
    return (await this.calls.remove(itemKey.override(queueId))) !== undefined;
  }

  takeCount = (key: string, limit: number, expiresAt: number): Promise<boolean> => limits.takeCount(this.calls, key, limit, expiresAt);
  returnCount = (key: string, expiresAt: number): Promise<void> => limits.returnCount(this.calls, key, expiresAt);
  readCount = (key: string): Promise<number> => limits.readCount(this.calls, key);
  countPing = (key: string, limit: number, expiresAt: number): Promise<boolean> => limits.takeCount(this.calls, key, limit, expiresAt);
  takeHoldSlot = (seller: string, maxHolds: number, hold: HoldSlot, now: number): Promise<SlotOutcome> =>
    limits.takeHoldSlot(this.calls, seller, maxHolds, hold, now);
  freeHoldSlot = (seller: string, maxHolds: number, queueId: string, callerId: string, expiresAt?: number): Promise<boolean> =>
    limits.freeHoldSlot(this.calls, seller, maxHolds, queueId, callerId, expiresAt);
  lastTransfer = (key: string): Promise<number | undefined> => limits.lastTransfer(this.calls, key);
  markTransfer = (key: string, at: number, since: number, expiresAt: number): Promise<MarkOutcome> =>
    limits.markTransfer(this.calls, key, at, since, expiresAt);
  unmarkTransfer = (key: string, at: number, previous: number | undefined): Promise<void> => limits.unmarkTransfer(this.calls, key, at, previous);

  /**
   * Optimistic read-modify-write of a queue's hold list: the write is conditioned on the version
   * read, and a lost race reads again (each loss means another writer won, so this ends).
   */
  private async withHoldList<T>(queueId: string, now: number, change: (holds: Hold[]) => { result: T; next: Hold[] | undefined }): Promise<T> {
    const attempts = this.options.holdAttempts ?? 12;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const { holds, version } = items.holdListOf(await this.calls.get(itemKey.holds(queueId)));
      const { result, next } = change(holds);
      if (!next) return result;
      const condition = version === 0 ? 'attribute_not_exists(#version)' : '#version = :version';
      const written = await this.calls.put({
        Item: items.holdListItem(queueId, next, version + 1, now),
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#version': 'version' },
        ...(version === 0 ? {} : { ExpressionAttributeValues: { ':version': num(version) } }),
      });
      if (written) return result;
    }
    throw new StateConflictError(`hold list of queue ${queueId} kept changing: gave up after ${attempts} attempts`);
  }

  /** Writes, releasing the lease in the same write when `owner` holds it (else a second, plain write). */
  private async writeReleasing(key: string, owner: string, set: Item, remove: string[]): Promise<void> {
    const released = await this.calls.update(itemKey.read(key), {
      set,
      remove: [...remove, ...leaseAttributes],
      condition: { expression: '#leaseOwner = :owner', names: ['leaseOwner'], values: { ':owner': str(owner) } },
    });
    if (!released) await this.calls.update(itemKey.read(key), remove.length ? { set, remove } : { set });
  }

  private sendOptions(): { abortSignal?: AbortSignal } {
    const { signal, callBudgetMs } = this.options;
    if (signal) return { abortSignal: signal };
    return callBudgetMs === undefined ? {} : { abortSignal: AbortSignal.timeout(callBudgetMs) };
  }
}
