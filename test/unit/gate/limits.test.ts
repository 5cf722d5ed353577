/**
 * Sellers' limits, queues' limits, duplicate callers and geography through the gate
 * (docs/operators/limits.md), with a fake clock: two containers (gates) on one table.
 */
import '../../support/warn-logs';
import type { Policy } from '../../../shared/config/gate-config';
import { Gate } from '../../../shared/gate';
import type { SellerLimits } from '../../../shared/gate/limit-windows';
import { SecretStore } from '../../../shared/secrets';
import { MemoryStore } from '../../../shared/state/memory-store';
import { manualClock } from '../../support/clock';
import { fakeAdapters } from '../../support/fake-adapters';
import { fakeSecretSource } from '../../support/fake-secrets';
import { flakyTable } from '../../support/flaky-table';
import { gateQueue } from '../../support/gate-config';

const base = { vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, holdMs: 30_000 };
const limitNames = ['takeCount', 'returnCount', 'takeHoldSlot', 'freeHoldSlot', 'lastTransfer', 'markTransfer', 'unmarkTransfer', 'countPing'];

function setup(policy: Partial<Policy> = {}, available = 5) {
  const clock = manualClock(Date.parse('2026-11-22T10:15:00.000Z'));
  const vendor = { available };
  const adapters = fakeAdapters(async () => ({ available: vendor.available }));
  const table = flakyTable();
  const secrets = new SecretStore(fakeSecretSource({ 'tg/aloware': { apiToken: 'token-1' } }), { now: clock.now });
  const gates = ['a', 'b'].map((owner) => new Gate({ adapters, secrets, store: table.storeFor(clock.now), now: clock.now, owner }));
  const queue = (id = 'sales', extra: Partial<Policy> = {}) => gateQueue({ ...base, id }, { ...policy, ...extra });
  const ask = async (
    callerName: string,
    callerId: string | undefined,
    options: { limits?: SellerLimits; gate?: number; queueId?: string; state?: 'TX' | 'AZ' } = {},
  ) => (await gates[options.gate ?? 0]!.check(queue(options.queueId), { callerName, callerId, sellerLimits: options.limits, state: options.state })).decision;
  const vendorCalls = () => adapters.aloware.check.mock.calls.length;
  return { clock, vendor, table, ask, vendorCalls };
}

const caller = (index: number) => `+1201555${String(index).padStart(4, '0')}`;

describe("a seller's limits", () => {
  test('maxHolds: a second standing hold is refused until the first ends (retryAt); its own hold asked again is the same transfer', async () => {
    const { ask, clock } = setup();
    const limits = { maxHolds: 1 };
    const first = await ask('acme', caller(1), { limits });
    expect(first).toMatchObject({ canTransfer: true, hold: { callerId: caller(1), expiresAt: '2026-11-22T10:15:30.000Z' } });
    expect(await ask('acme', caller(2), { limits, gate: 1 })).toMatchObject({
      canTransfer: false,
      reason: 'caller_limit',
      limit: 'maxHolds',
      retryAt: '2026-11-22T10:15:30.000Z',
      availableAgents: 5,
      heldAgents: 1,
    });
    expect(await ask('acme', caller(1), { limits, gate: 1 })).toMatchObject({ canTransfer: true, hold: first.hold });
    expect(await ask('other', caller(2))).toMatchObject({ canTransfer: true });
    clock.advance(30_000);
    expect(await ask('acme', caller(2), { limits })).toMatchObject({ canTransfer: true, reason: 'agents_available' });
  });

  test('transfersPerHour: counted across containers, refused with the next UTC hour as retryAt, room again then', async () => {
    const { ask, clock } = setup();
    const limits = { transfersPerHour: 2 };
    expect((await ask('acme', caller(1), { limits })).canTransfer).toBe(true);
    expect((await ask('acme', caller(1), { limits, gate: 1 })).canTransfer).toBe(true); // the same transfer
    expect((await ask('acme', caller(2), { limits, gate: 1 })).canTransfer).toBe(true);
    expect(await ask('acme', caller(3), { limits })).toMatchObject({
      canTransfer: false,
      reason: 'caller_limit',
      limit: 'transfersPerHour',
      retryAt: '2026-11-22T11:00:00.000Z',
    });
    clock.advance(45 * 60_000);
    expect(await ask('acme', caller(3), { limits })).toMatchObject({ canTransfer: true });
  });

  test('transfersPerDay speaks after transfersPerHour, and its retryAt is the next UTC midnight', async () => {
    const { ask } = setup();
    await ask('acme', caller(1), { limits: { transfersPerHour: 5, transfersPerDay: 1 } });
    expect(await ask('acme', caller(2), { limits: { transfersPerHour: 1, transfersPerDay: 1 } })).toMatchObject({
      reason: 'caller_limit',
      limit: 'transfersPerHour',
    });
    expect(await ask('acme', caller(2), { limits: { transfersPerHour: 5, transfersPerDay: 1 } })).toMatchObject({
      reason: 'caller_limit',
      limit: 'transfersPerDay',
      retryAt: '2026-11-23T00:00:00.000Z',
    });
  });

  test('a hold refused for want of agents gives its count back', async () => {
    const { ask, clock } = setup({}, 1);
    const limits = { transfersPerHour: 1 };
    expect((await ask('other', caller(1))).canTransfer).toBe(true);
    expect(await ask('acme', caller(2), { limits })).toMatchObject({ canTransfer: false, reason: 'not_enough_agents' });
    clock.advance(30_000);
    expect((await ask('acme', caller(2), { limits })).canTransfer).toBe(true);
  });
});

describe("a queue's limits", () => {
  test('count every seller together; the seller speaks first when both are full', async () => {
    const { ask } = setup({ limits: { transfersPerHour: 2 } });
    expect((await ask('acme', caller(1), { limits: { transfersPerHour: 1 } })).canTransfer).toBe(true);
    expect((await ask('other', caller(2), { gate: 1 })).canTransfer).toBe(true);
    expect(await ask('third', caller(3))).toMatchObject({
      canTransfer: false,
      reason: 'queue_limit',
      limit: 'transfersPerHour',
      retryAt: '2026-11-22T11:00:00.000Z',
    });
    expect(await ask('acme', caller(3), { limits: { transfersPerHour: 1 } })).toMatchObject({ reason: 'caller_limit', limit: 'transfersPerHour' });
  });
});

describe('duplicate callers', () => {
  test('a callerId transferred in the window is refused to every seller before any vendor call, except its own hold asked again', async () => {
    const { ask, clock, vendorCalls } = setup({ duplicates: { windowHours: 72, scope: 'queue' } });
    const first = await ask('acme', caller(1));
    expect(first.canTransfer).toBe(true);
    const calls = vendorCalls();
    expect(await ask('other', caller(1), { gate: 1 })).toMatchObject({
      canTransfer: false,
      reason: 'duplicate_caller',
      source: 'cache',
      availableAgents: null,
      ageMs: 0,
    });
    expect(vendorCalls()).toBe(calls);
    expect(await ask('acme', caller(1), { gate: 1 })).toMatchObject({ canTransfer: true, hold: first.hold });
    clock.advance(60_000); // the hold has ended; the transfer still counts
    expect(await ask('acme', caller(1))).toMatchObject({ reason: 'duplicate_caller' });
    clock.advance(72 * 3_600_000);
    expect((await ask('other', caller(1))).canTransfer).toBe(true);
  });

  test('scope queue is per queue; scope all spans the queues that have it', async () => {
    const perQueue = setup({ duplicates: { windowHours: 1, scope: 'queue' } });
    await perQueue.ask('acme', caller(1), { queueId: 'sales' });
    expect((await perQueue.ask('acme', caller(1), { queueId: 'medicare' })).canTransfer).toBe(true);
    const all = setup({ duplicates: { windowHours: 1, scope: 'all' } });
    await all.ask('acme', caller(1), { queueId: 'sales' });
    expect(await all.ask('other', caller(1), { queueId: 'medicare' })).toMatchObject({ reason: 'duplicate_caller' });
  });
});

describe('geography', () => {
  const geo = { states: ['AZ' as const, 'NJ' as const], onUnknown: 'deny' as const };

  test('a call from another state is refused before any vendor call, with its state', async () => {
    const { ask, vendorCalls } = setup({ geo });
    expect(await ask('acme', '+12145550123')).toMatchObject({
      canTransfer: false,
      reason: 'outside_area',
      callerState: 'TX',
      availableAgents: null,
      source: 'cache',
    });
    expect(vendorCalls()).toBe(0);
  });

  test("the request's state wins over the area code; every answer says the state", async () => {
    const { ask } = setup({ geo });
    expect(await ask('acme', '+12145550123', { state: 'AZ' })).toMatchObject({ canTransfer: true, callerState: 'AZ' });
    expect(await ask('acme', caller(2))).toMatchObject({ canTransfer: true, callerState: 'NJ' });
    expect(await ask('acme', caller(3), { state: 'TX' })).toMatchObject({ reason: 'outside_area', callerState: 'TX' });
  });

  test('a state that cannot be told: onUnknown deny refuses with callerState null, allow lets it through', async () => {
    expect(await setup({ geo }).ask('acme', '+18005550123')).toMatchObject({ reason: 'outside_area', callerState: null });
    expect(await setup({ geo }).ask('acme', undefined)).toMatchObject({ reason: 'outside_area', callerState: null });
    expect(await setup({ geo: { ...geo, onUnknown: 'allow' } }).ask('acme', '+442071234567')).toMatchObject({ canTransfer: true, callerState: null });
  });
});

describe('the store', () => {
  test('a seller without limits on a queue without limits makes no limit call', async () => {
    const { ask, table } = setup();
    await ask('acme', caller(1));
    expect(table.calls.filter((call) => limitNames.includes(call))).toEqual([]);
  });

  test('down: onStoreError deny refuses a limited yes with state_unavailable; allow answers the agents, counting nothing', async () => {
    const denied = setup();
    denied.table.down = true;
    expect(await denied.ask('acme', caller(1), { limits: { transfersPerHour: 5 } })).toMatchObject({
      canTransfer: false,
      reason: 'state_unavailable',
      heldAgents: null,
    });
    const allowed = setup({ onStoreError: 'allow' });
    allowed.table.down = true;
    const answer = await allowed.ask('acme', caller(1), { limits: { transfersPerHour: 1 } });
    expect(answer).toMatchObject({ canTransfer: true, stateUnavailable: true, heldAgents: null });
    expect(answer).not.toHaveProperty('hold');
    expect(await allowed.table.data.takeCount('caller:acme#hour:493642', 1, Infinity, 0)).toBe(true);
  });
});

describe('a race with a release', () => {
  test('a refusal whose own hold is released before it is asked again stays a refusal: the new hold is taken back', async () => {
    const clock = manualClock(Date.parse('2026-11-22T10:15:00.000Z'));
    const store = new MemoryStore();
    let releaseOnRead = false;
    const racing = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'holds') return typeof value === 'function' ? value.bind(target) : value;
        return async (queueId: string, now: number) => {
          const holds = await target.holds(queueId, now);
          if (releaseOnRead) await target.releaseHold(queueId, 'acme', caller(1), now); // a DELETE lands between the read and the placement
          return holds;
        };
      },
    });
    const secrets = new SecretStore(fakeSecretSource({ 'tg/aloware': { apiToken: 'token-1' } }), { now: clock.now });
    const gate = new Gate({ adapters: fakeAdapters(async () => ({ available: 5 })), secrets, store: racing, now: clock.now, owner: 'a' });
    const queue = gateQueue({ ...base, id: 'sales' });
    const limits = { transfersPerHour: 1 };
    expect((await gate.check(queue, { callerName: 'acme', callerId: caller(1), sellerLimits: limits })).decision.canTransfer).toBe(true);
    releaseOnRead = true;
    expect((await gate.check(queue, { callerName: 'acme', callerId: caller(1), sellerLimits: limits })).decision).toMatchObject({
      canTransfer: false,
      reason: 'caller_limit',
      limit: 'transfersPerHour',
    });
    expect(await store.holds('sales', clock.now())).toEqual([]);
  });
});
