/**
 * The limit records' part of the store contract (docs/operators/limits.md), registered inside
 * store-contract.test.ts's describe.each so that both backends answer it: counters, a seller's
 * hold slots and duplicate marks, each exact under 50 concurrent attempts.
 */
import type { StateStore } from '../../../shared/state/store';

const t0 = Date.parse('2026-11-22T10:00:00.000Z');
const hourEnd = t0 + 3_600_000;
const attempts = <T>(count: number, attempt: (index: number) => Promise<T>) => Promise.all(Array.from({ length: count }, (_, index) => attempt(index)));

export function limitContract(store: () => StateStore): void {
  describe('limit counters', () => {
    test('of 50 concurrent takes on a limit of 7, exactly 7 count; a returned unit is room for one more', async () => {
      const taken = await attempts(50, () => store().takeCount('caller:acme#hour:1', 7, hourEnd, t0));
      expect(taken.filter(Boolean)).toHaveLength(7);
      await store().returnCount('caller:acme#hour:1', hourEnd);
      expect(await attempts(5, () => store().takeCount('caller:acme#hour:1', 7, hourEnd, t0))).toEqual([true, false, false, false, false]);
    });

    test('counters are independent, and an undo never takes a counter below zero', async () => {
      await store().returnCount('queue:sales#day:9', hourEnd);
      expect(await store().takeCount('queue:sales#day:9', 1, hourEnd, t0)).toBe(true);
      expect(await store().takeCount('queue:sales#day:9', 1, hourEnd, t0)).toBe(false);
      expect(await store().takeCount('queue:sales#day:10', 1, hourEnd, t0)).toBe(true);
    });

    test('readCount: 0 before anything is counted, then what was counted net of returns', async () => {
      expect(await store().readCount('caller:acme#day:3', t0)).toBe(0);
      await attempts(3, () => store().takeCount('caller:acme#day:3', 10, hourEnd, t0));
      await store().returnCount('caller:acme#day:3', hourEnd);
      expect(await store().readCount('caller:acme#day:3', t0)).toBe(2);
      expect(await store().readCount('caller:acme#day:4', t0)).toBe(0);
    });

    test('of 50 concurrent pings on a limit of 20, exactly 20 count', async () => {
      const counted = await attempts(50, () => store().countPing('pings:acme#minute:5', 20, t0 + 60_000, t0));
      expect(counted.filter(Boolean)).toHaveLength(20);
    });
  });

  describe("a seller's hold slots", () => {
    const slotHold = (index: number, expiresAt = t0 + 30_000 + index) => ({
      queueId: 'sales',
      callerId: `+1201555${String(index).padStart(4, '0')}`,
      expiresAt,
    });

    test('of 50 concurrent holds on maxHolds 3, exactly 3 take a slot; the others learn the earliest expiry', async () => {
      const outcomes = await attempts(50, (index) => store().takeHoldSlot('acme', 3, slotHold(index), t0));
      const taken = outcomes.filter((outcome) => outcome.taken);
      expect(taken).toHaveLength(3);
      const refusals = outcomes.filter((outcome) => !outcome.taken);
      const earliest = Math.min(...outcomes.map((outcome, index) => (outcome.taken ? slotHold(index).expiresAt : Infinity)));
      for (const refusal of refusals) expect(refusal).toEqual({ taken: false, retryAt: earliest });
    });

    test('a freed or expired slot is free again; freeing names the call', async () => {
      await store().takeHoldSlot('acme', 1, slotHold(1), t0);
      expect(await store().takeHoldSlot('acme', 1, slotHold(2), t0)).toEqual({ taken: false, retryAt: slotHold(1).expiresAt });
      expect(await store().freeHoldSlot('acme', 1, 'sales', slotHold(2).callerId)).toBe(false);
      expect(await store().freeHoldSlot('acme', 1, 'sales', slotHold(1).callerId)).toBe(true);
      expect(await store().takeHoldSlot('acme', 1, slotHold(2), t0)).toEqual({ taken: true });
      expect(await store().takeHoldSlot('acme', 1, slotHold(3), slotHold(2).expiresAt)).toEqual({ taken: true });
      expect(await store().takeHoldSlot('other', 1, slotHold(4), t0)).toEqual({ taken: true });
    });

    test("an undo names the hold's expiry, and frees that slot only, not the same call's standing one", async () => {
      const standing = slotHold(1);
      const again = { ...standing, expiresAt: standing.expiresAt + 5_000 };
      await store().takeHoldSlot('acme', 2, standing, t0);
      await store().takeHoldSlot('acme', 2, again, t0);
      expect(await store().freeHoldSlot('acme', 2, 'sales', standing.callerId, again.expiresAt)).toBe(true);
      expect(await store().freeHoldSlot('acme', 2, 'sales', standing.callerId, again.expiresAt)).toBe(false);
      expect(await store().takeHoldSlot('acme', 2, slotHold(5), t0)).toEqual({ taken: true });
      expect(await store().takeHoldSlot('acme', 2, slotHold(6), t0)).toEqual({ taken: false, retryAt: standing.expiresAt });
    });
  });

  describe('duplicate marks', () => {
    const windowMs = 72 * 3_600_000;

    test('of 50 concurrent marks for one callerId, exactly one is written', async () => {
      const outcomes = await attempts(50, (index) => store().markTransfer('all#+12015550123', t0 + index, t0 - windowMs, t0 + windowMs));
      const marked = outcomes.filter((outcome) => outcome.marked);
      expect(marked).toEqual([{ marked: true }]);
      const at = await store().lastTransfer('all#+12015550123');
      for (const outcome of outcomes.filter((each) => !each.marked)) expect(outcome).toEqual({ marked: false, last: at });
    });

    test('a mark outside the window is replaced, and the undo puts it back only while the new mark is the last', async () => {
      await store().markTransfer('queue:sales#+1', t0, t0 - windowMs, t0 + windowMs);
      const later = t0 + windowMs + 1;
      expect(await store().markTransfer('queue:sales#+1', later, later - windowMs, later + windowMs)).toEqual({ marked: true, previous: t0 });
      await store().unmarkTransfer('queue:sales#+1', later, t0);
      expect(await store().lastTransfer('queue:sales#+1')).toBe(t0);
      await store().unmarkTransfer('queue:sales#+1', later, undefined);
      expect(await store().lastTransfer('queue:sales#+1')).toBe(t0);
      await store().unmarkTransfer('queue:sales#+1', t0, undefined);
      expect(await store().lastTransfer('queue:sales#+1')).toBeUndefined();
    });
  });

  describe('counters and hold placement together', () => {
    test('50 concurrent attempts, 5 units of room, 8 free agents: exactly 5 holds, and the refused undo nothing they did not take', async () => {
      const outcomes = await attempts(50, async (index) => {
        if (!(await store().takeCount('queue:sales#hour:1', 5, hourEnd, t0))) return 'queue_limit';
        const hold = { callerName: 'acme', callerId: `+1201555${String(index).padStart(4, '0')}`, placedAt: t0, expiresAt: t0 + 30_000 };
        const outcome = await store().placeHold('sales', hold, 8, t0);
        if (outcome.placed) return 'placed';
        await store().returnCount('queue:sales#hour:1', hourEnd);
        return 'refused';
      });
      expect(outcomes.filter((outcome) => outcome === 'placed')).toHaveLength(5);
      expect(await store().holds('sales', t0)).toHaveLength(5);
      expect(await store().takeCount('queue:sales#hour:1', 5, hourEnd, t0)).toBe(false);
    });

    test('50 concurrent attempts, 9 units of room, 3 free agents: exactly 3 holds, the losers give their units back', async () => {
      const outcomes = await attempts(50, async (index) => {
        if (!(await store().takeCount('queue:sales#hour:2', 9, hourEnd, t0))) return 'queue_limit';
        const hold = { callerName: 'acme', callerId: `+1201555${String(index).padStart(4, '0')}`, placedAt: t0, expiresAt: t0 + 30_000 };
        if ((await store().placeHold('sales', hold, 3, t0)).placed) return 'placed';
        await store().returnCount('queue:sales#hour:2', hourEnd);
        return 'refused';
      });
      expect(outcomes.filter((outcome) => outcome === 'placed')).toHaveLength(3);
      // 3 units stay counted: exactly 6 more fit.
      expect((await attempts(10, () => store().takeCount('queue:sales#hour:2', 9, hourEnd, t0))).filter(Boolean)).toHaveLength(6);
    });
  });
}
