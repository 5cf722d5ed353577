/**
 * The limit records on the table (docs/operators/limits.md), each change one conditional write
 * on one item: a counter grows only below its limit (ADD with a condition), a seller's hold slot
 * is taken only when free, a duplicate mark is written only when none stands in the window. Undo
 * writes are conditional too, so an undo never takes away what another request counted.
 */
import { createHash } from 'node:crypto';
import type { TableCalls } from './dynamodb-calls';
import { itemKey, keyOf, num, numberOf, shortSlackMs, str, ttlAfter } from './dynamodb-items';
import type { HoldSlot, MarkOutcome, SlotOutcome } from './store';

export function takeCount(table: TableCalls, key: string, limit: number, expiresAt: number): Promise<boolean> {
  return table.update(itemKey.count(key), {
    add: { count: num(1) },
    set: { expiresAt: ttlAfter(expiresAt, shortSlackMs) },
    condition: { expression: 'attribute_not_exists(#count) OR #count < :limit', names: ['count'], values: { ':limit': num(limit) } },
  });
}

export async function returnCount(table: TableCalls, key: string, expiresAt: number): Promise<void> {
  await table.update(itemKey.count(key), {
    add: { count: num(-1) },
    set: { expiresAt: ttlAfter(expiresAt, shortSlackMs) },
    condition: { expression: '#count > :zero', names: ['count'], values: { ':zero': num(0) } },
  });
}

/** A counter's count, from one consistent read (the window is in the key, so an item past its TTL is never read as current). */
export async function readCount(table: TableCalls, key: string): Promise<number> {
  return numberOf(await table.get(itemKey.count(key)), 'count') ?? 0;
}

/**
 * A free slot is taken with one conditional write. The first slot tried is the call's own (by a
 * hash of queue and callerId), then the next ones in turn: while most slots are free, one write;
 * only a seller near its maxHolds pays more. When none is free, their expiries give retryAt.
 */
export async function takeHoldSlot(table: TableCalls, seller: string, maxHolds: number, hold: HoldSlot, now: number): Promise<SlotOutcome> {
  const first = firstSlot(hold, maxHolds);
  for (let step = 0; step < maxHolds; step += 1) {
    const index = (first + step) % maxHolds;
    const taken = await table.put({
      Item: {
        ...keyOf(itemKey.slot(seller, index)),
        until: num(hold.expiresAt),
        queue: str(hold.queueId),
        callerId: str(hold.callerId),
        expiresAt: ttlAfter(hold.expiresAt, shortSlackMs),
      },
      ConditionExpression: 'attribute_not_exists(#until) OR #until <= :now',
      ExpressionAttributeNames: { '#until': 'until' },
      ExpressionAttributeValues: { ':now': num(now) },
    });
    if (taken) return { taken: true };
  }
  const slots = await Promise.all(Array.from({ length: maxHolds }, (_, index) => table.get(itemKey.slot(seller, index))));
  // A slot freed since its write lost is free now: retry at once.
  return { taken: false, retryAt: Math.min(...slots.map((slot) => numberOf(slot, 'until') ?? now)) };
}

/** Where a call's slot search starts: spreads a seller's calls over its slots. */
export function firstSlot(hold: Pick<HoldSlot, 'queueId' | 'callerId'>, maxHolds: number): number {
  return createHash('sha256').update(`${hold.queueId}#${hold.callerId}`).digest().readUInt32BE(0) % maxHolds;
}

export async function freeHoldSlot(
  table: TableCalls,
  seller: string,
  maxHolds: number,
  queueId: string,
  callerId: string,
  expiresAt?: number,
): Promise<boolean> {
  const condition = {
    expression: '#queue = :queue AND #callerId = :callerId',
    names: ['queue', 'callerId'],
    values: { ':queue': str(queueId), ':callerId': str(callerId) },
  };
  if (expiresAt !== undefined)
    Object.assign(condition, {
      expression: `${condition.expression} AND #until = :until`,
      names: [...condition.names, 'until'],
      values: { ...condition.values, ':until': num(expiresAt) },
    });
  const freed = await Promise.all(Array.from({ length: maxHolds }, (_, index) => table.remove(itemKey.slot(seller, index), condition)));
  return freed.some((item) => item !== undefined);
}

export async function lastTransfer(table: TableCalls, key: string): Promise<number | undefined> {
  return numberOf(await table.get(itemKey.transfer(key)), 'last');
}

export async function markTransfer(table: TableCalls, key: string, at: number, since: number, expiresAt: number): Promise<MarkOutcome> {
  const old = await table.updateReturning(
    itemKey.transfer(key),
    {
      set: { last: num(at), expiresAt: ttlAfter(expiresAt, shortSlackMs) },
      condition: { expression: 'attribute_not_exists(#last) OR #last <= :since', names: ['last'], values: { ':since': num(since) } },
    },
    'UPDATED_OLD',
  );
  if (old === undefined) return { marked: false, last: (await lastTransfer(table, key)) ?? at };
  const previous = numberOf(old, 'last');
  return previous === undefined ? { marked: true } : { marked: true, previous };
}

export async function unmarkTransfer(table: TableCalls, key: string, at: number, previous: number | undefined): Promise<void> {
  const condition = { expression: '#last = :at', names: ['last'], values: { ':at': num(at) } };
  if (previous === undefined) await table.remove(itemKey.transfer(key), condition);
  else await table.update(itemKey.transfer(key), { set: { last: num(previous) }, condition });
}
