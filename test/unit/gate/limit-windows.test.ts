/** The pure limit rules (docs/operators/limits.md): UTC windows at hour and day boundaries, the order limits speak in, Retry-After. */
import { hourMs, pingWindow, transferCharges, windowAt } from '../../../shared/gate/limit-windows';
import { gateQueue } from '../../support/gate-config';

const at = (iso: string) => Date.parse(iso);
const queue = gateQueue({ id: 'sales', vendor: 'aloware', secret: 's', ringGroupId: 1, holdMs: 30_000, limits: { transfersPerHour: 9, transfersPerDay: 40 } });

describe('UTC windows', () => {
  test.each([
    ['2026-11-22T10:00:00.000Z', hourMs, '2026-11-22T11:00:00.000Z'],
    ['2026-11-22T10:59:59.999Z', hourMs, '2026-11-22T11:00:00.000Z'],
    ['2026-11-22T23:59:59.999Z', 86_400_000, '2026-11-23T00:00:00.000Z'],
    ['2026-11-23T00:00:00.000Z', 86_400_000, '2026-11-24T00:00:00.000Z'],
    ['2026-12-31T23:30:00.000Z', 86_400_000, '2027-01-01T00:00:00.000Z'],
  ])('%s falls in the window that ends at %s', (now, size, end) => {
    expect(new Date(windowAt(size, at(now)).end).toISOString()).toBe(end);
  });

  test('the last millisecond of an hour and the first of the next are in different windows', () => {
    expect(windowAt(hourMs, at('2026-11-22T10:59:59.999Z')).index + 1).toBe(windowAt(hourMs, at('2026-11-22T11:00:00.000Z')).index);
  });
});

describe('the counters a transfer is charged to', () => {
  test("in the order limits speak: the seller's hour and day, then the queue's hour and day", () => {
    const charges = transferCharges('acme', { maxHolds: 2, transfersPerHour: 20, transfersPerDay: 150 }, queue, at('2026-11-22T10:15:00.000Z'));
    expect(charges.map((charge) => [charge.owner, charge.limit, charge.max, new Date(charge.end).toISOString()])).toEqual([
      ['caller', 'transfersPerHour', 20, '2026-11-22T11:00:00.000Z'],
      ['caller', 'transfersPerDay', 150, '2026-11-23T00:00:00.000Z'],
      ['queue', 'transfersPerHour', 9, '2026-11-22T11:00:00.000Z'],
      ['queue', 'transfersPerDay', 40, '2026-11-23T00:00:00.000Z'],
    ]);
  });

  test('a seller without limits on a queue without limits is charged nothing', () => {
    const plain = gateQueue({ id: 'p', vendor: 'aloware', secret: 's', ringGroupId: 1, holdMs: 30_000 });
    expect(transferCharges('acme', undefined, plain, 0)).toEqual([]);
  });

  test("each window has its own key: a new hour starts a new counter, a seller's is not the queue's", () => {
    const [before] = transferCharges('acme', { transfersPerHour: 1 }, queue, at('2026-11-22T10:59:59.999Z'));
    const [after] = transferCharges('acme', { transfersPerHour: 1 }, queue, at('2026-11-22T11:00:00.000Z'));
    expect(before?.key).not.toBe(after?.key);
    expect(new Set(transferCharges('acme', { transfersPerHour: 1 }, queue, 0).map((charge) => charge.key)).size).toBe(3);
  });
});

describe('pings per minute', () => {
  test.each([
    ['2026-11-22T10:00:00.000Z', 60],
    ['2026-11-22T10:00:59.001Z', 1],
    ['2026-11-22T10:00:30.500Z', 30],
  ])('at %s Retry-After is %i s', (now, seconds) => {
    expect(pingWindow('acme', at(now)).retryAfterSeconds).toBe(seconds);
  });
});
