/**
 * The gate's hours and overrides (docs/operators/hours-and-overrides.md) on a fake clock: closure before any
 * reading, closedBy, opensAt/closesAt, the 1 s override cache.
 */
import type { GateQueue } from '../../../shared/config/gate-config';
import { Gate, overrideCacheMs } from '../../../shared/gate';
import type { Schedule } from '../../../shared/schedule/schedule-schema';
import { SecretStore } from '../../../shared/secrets';
import { MemoryStore } from '../../../shared/state/memory-store';
import type { Override, StateStore } from '../../../shared/state/store';
import { manualClock } from '../../support/clock';
import { fakeAdapters } from '../../support/fake-adapters';
import { fakeSecretSource } from '../../support/fake-secrets';
import { gateQueue } from '../../support/gate-config';

// The clock starts on Sunday 2026-11-22 10:00 UTC.
const schedule: Schedule = { timeZone: 'UTC', weekly: { sun: [['09:00', '12:00']], mon: [['09:00', '17:00']] } };
const supportQueue = { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 };
const hour = 3_600_000;

function setup(options: { schedule?: Schedule; store?: StateStore } = {}) {
  const clock = manualClock();
  const store = options.store ?? new MemoryStore();
  const adapters = fakeAdapters(async () => ({ available: 3 }));
  const gateOn = () =>
    new Gate({ adapters, store, now: clock.now, secrets: new SecretStore(fakeSecretSource({ 'tg/aloware': { apiToken: 't' } }), { now: clock.now }) });
  const gate = gateOn();
  const queue: GateQueue = gateQueue(supportQueue, options.schedule ? { schedule: options.schedule } : {});
  const override = (state: Override['state'], until?: number): Override => ({ state, ...(until !== undefined && { until }), setBy: 'ops', setAt: clock.now() });
  return { clock, store, gate, gateOn, queue, vendor: adapters.aloware.check, override };
}

describe('a scheduled queue', () => {
  it('open: the usual answer plus closesAt, the end of the current open period', async () => {
    const { gate, queue, vendor } = setup({ schedule });
    const { decision } = await gate.check(queue);
    expect(decision).toMatchObject({ canTransfer: true, reason: 'agents_available', availableAgents: 3, closesAt: '2026-11-22T12:00:00.000Z' });
    expect(decision).not.toHaveProperty('closedBy');
    expect(decision).not.toHaveProperty('opensAt');
    expect(vendor).toHaveBeenCalledTimes(1);
  });

  it('closed: reason closed, closedBy schedule, opensAt, no vendor call and no read, even with a fresh reading cached', async () => {
    const { gate, queue, vendor, clock } = setup({ schedule });
    await gate.check(queue);
    clock.advance(2 * hour); // 12:00: closed until Monday 09:00
    const check = await gate.check(queue);
    expect(check.decision).toEqual({
      queue: 'support',
      canTransfer: false,
      reason: 'closed',
      availableAgents: null,
      minAvailable: 1,
      vendor: 'aloware',
      source: 'cache',
      checkedAt: '2026-11-22T12:00:00.000Z',
      ageMs: 0,
      closedBy: 'schedule',
      opensAt: '2026-11-23T09:00:00.000Z',
    });
    expect(check.read).toBeUndefined();
    expect(vendor).toHaveBeenCalledTimes(1);
  });

  it('a schedule with no open hours: opensAt null', async () => {
    const { gate, queue, vendor } = setup({ schedule: { timeZone: 'UTC', weekly: {} } });
    expect((await gate.check(queue)).decision).toMatchObject({ reason: 'closed', closedBy: 'schedule', opensAt: null });
    expect(vendor).not.toHaveBeenCalled();
  });
});

describe('a queue without a schedule or override', () => {
  it('answers as before hours existed: no closesAt, closedBy or opensAt', async () => {
    const { gate, queue } = setup();
    const { decision } = await gate.check(queue);
    expect(decision.reason).toBe('agents_available');
    expect(Object.keys(decision)).not.toEqual(expect.arrayContaining(['closesAt']));
    expect(decision).not.toHaveProperty('closedBy');
  });
});

describe('overrides', () => {
  it('closed without until: closedBy override, opensAt null, although the schedule is open and a reading is cached', async () => {
    const { gate, queue, vendor, override } = setup({ schedule });
    await gate.check(queue);
    await gate.overrides.put('support', override('closed'));
    const check = await gate.check(queue);
    expect(check.decision).toMatchObject({ canTransfer: false, reason: 'closed', availableAgents: null, closedBy: 'override', opensAt: null });
    expect(check.decision).not.toHaveProperty('closesAt');
    expect(vendor).toHaveBeenCalledTimes(1);
  });

  it('closed with until: opensAt is until; at until the queue follows its schedule again', async () => {
    const { gate, queue, vendor, override, clock } = setup({ schedule });
    const until = clock.now() + 5000;
    await gate.overrides.put('support', override('closed', until));
    expect((await gate.check(queue)).decision).toMatchObject({ reason: 'closed', closedBy: 'override', opensAt: '2026-11-22T10:00:05.000Z' });
    expect(vendor).not.toHaveBeenCalled();
    clock.advance(5000);
    expect((await gate.check(queue)).decision).toMatchObject({ reason: 'agents_available', closesAt: '2026-11-22T12:00:00.000Z' });
    expect(vendor).toHaveBeenCalledTimes(1);
  });

  it('closes a queue without a schedule too', async () => {
    const { gate, queue, override } = setup();
    await gate.overrides.put('support', override('closed'));
    expect((await gate.check(queue)).decision).toMatchObject({ reason: 'closed', closedBy: 'override', opensAt: null });
  });

  it('open during a scheduled closure: agents are still checked; closesAt is until, or null without one', async () => {
    const { gate, queue, vendor, override, clock } = setup({ schedule });
    clock.advance(3 * hour); // 13:00: closed by the schedule
    expect((await gate.check(queue)).decision.reason).toBe('closed');
    await gate.overrides.put('support', override('open', clock.now() + hour));
    expect((await gate.check(queue)).decision).toMatchObject({
      canTransfer: true,
      reason: 'agents_available',
      availableAgents: 3,
      closesAt: '2026-11-22T14:00:00.000Z',
    });
    expect(vendor).toHaveBeenCalledTimes(1);
    await gate.overrides.put('support', override('open'));
    expect((await gate.check(queue)).decision).toMatchObject({ reason: 'agents_available', closesAt: null });
    clock.advance(2 * hour);
    await gate.overrides.delete('support');
    expect((await gate.check(queue)).decision).toMatchObject({ reason: 'closed', closedBy: 'schedule', opensAt: '2026-11-23T09:00:00.000Z' });
  });

  it('another container sees a change within the 1 s override cache, not later', async () => {
    const { gateOn, queue, override, clock, vendor } = setup();
    const [a, b] = [gateOn(), gateOn()];
    expect((await a.check(queue)).decision.reason).toBe('agents_available'); // a caches "no override"
    await b.overrides.put('support', override('closed'));
    expect((await b.check(queue)).decision.reason).toBe('closed'); // the writer at once
    clock.advance(overrideCacheMs - 1);
    expect((await a.check(queue)).decision.reason).toBe('agents_available');
    clock.advance(1);
    expect((await a.check(queue)).decision.reason).toBe('closed');
    await b.overrides.delete('support');
    clock.advance(overrideCacheMs);
    expect((await a.check(queue)).decision.reason).toBe('agents_available');
    expect(vendor).toHaveBeenCalledTimes(1); // the reading cached at the start served the reopened queue
  });

  it('looks the override up once per queue per second, however many checks', async () => {
    const store = new MemoryStore();
    const lookups = jest.spyOn(store, 'getOverride');
    const { gate, queue, clock } = setup({ store });
    await Promise.all([gate.check(queue), gate.check(queue), gate.check(queue)]);
    clock.advance(500);
    await gate.check(queue);
    expect(lookups).toHaveBeenCalledTimes(1);
    clock.advance(500);
    await gate.check(queue);
    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('an override that expires inside the cached second ends at its until', async () => {
    const { gateOn, queue, override, clock } = setup();
    const gate = gateOn();
    await gate.overrides.put('support', override('closed', clock.now() + 300));
    expect((await gate.check(queue)).decision.reason).toBe('closed');
    clock.advance(300);
    expect((await gate.check(queue)).decision.reason).toBe('agents_available');
  });

  it('a store that fails the lookup counts as no override (the schedule still applies)', async () => {
    const store = new MemoryStore();
    jest.spyOn(store, 'getOverride').mockRejectedValue(new Error('table down'));
    const { gate, queue, clock } = setup({ store, schedule });
    expect((await gate.check(queue)).decision.reason).toBe('agents_available');
    clock.advance(2 * hour);
    expect((await gate.check(queue)).decision).toMatchObject({ reason: 'closed', closedBy: 'schedule' });
  });
});
