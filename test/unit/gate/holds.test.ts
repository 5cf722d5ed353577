// Must stay the first import: turns log lines on before shared/logger loads (the audit lines are asserted).
import '../../support/verbose-logs';
import type { Policy } from '../../../shared/config/gate-config';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { transferCount } from '../../../shared/api/availability-api';
import { VendorError } from '../../../shared/errors';
import { Gate, callerIdProblem, releaseHold } from '../../../shared/gate';
import { SecretStore } from '../../../shared/secrets';
import { MemoryStore } from '../../../shared/state/memory-store';
import type { Availability } from '../../../shared/vendors/port';
import { manualClock } from '../../support/clock';
import { fakeAdapters } from '../../support/fake-adapters';
import { fakeSecretSource } from '../../support/fake-secrets';
import { gateQueue } from '../../support/gate-config';
import { captureLogs } from '../../support/logs';

const supportQueue = { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 };
const holdMs = 30_000;

/** Two gates (two containers) on one store, one fake clock; the vendor answers `vendor.availability`. */
function setup(policy: Partial<Policy> = {}, available = 1) {
  const clock = manualClock();
  const vendor: { availability: Availability | Error } = { availability: { available, busy: 2, total: 5 } };
  const adapters = fakeAdapters(async () => {
    if (vendor.availability instanceof Error) throw vendor.availability;
    return vendor.availability;
  });
  const store = new MemoryStore();
  const secrets = new SecretStore(fakeSecretSource({ 'tg/aloware': { apiToken: 'token-1' } }), { now: clock.now });
  const gates = ['a', 'b'].map((owner) => new Gate({ adapters, secrets, store, now: clock.now, owner }));
  const queue = gateQueue(supportQueue, { holdMs, ...policy });
  const ask = async (gate: number, callerId?: string, callerName = 'acme') => (await gates[gate]!.check(queue, { callerName, callerId })).decision;
  return { clock, vendor, store, gates, queue, ask, adapters };
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());
const auditLines = () =>
  logs
    .text()
    .split('\n')
    .filter((line) => line.includes('"message":"hold '))
    .map((line) => JSON.parse(line));

describe('the decision with holds', () => {
  it('leaves queues without holds alone: no heldAgents, callerId ignored, nothing held', async () => {
    const { ask, store } = setup({ holdMs: 0 });
    const decision = await ask(0, '+15550001');
    expect(decision).toMatchObject({ canTransfer: true, availableAgents: 1 });
    expect(decision).not.toHaveProperty('heldAgents');
    expect(decision).not.toHaveProperty('hold');
    expect(await store.holds('support', Date.now() - 1e12)).toEqual([]);
  });

  it('reports heldAgents on every answer and places no hold without a callerId', async () => {
    const { ask, store, clock } = setup({}, 1);
    expect(await ask(0)).toMatchObject({ canTransfer: true, heldAgents: 0 });
    expect(await ask(0)).not.toHaveProperty('hold');
    expect(await store.holds('support', clock.now())).toEqual([]);
  });

  it('a "yes" with a callerId holds one agent for holdMs; the next caller hears no with not_enough_agents', async () => {
    const { ask, clock } = setup({}, 1);
    const first = await ask(0, '+15550001');
    expect(first).toMatchObject({
      canTransfer: true,
      reason: 'agents_available',
      availableAgents: 1,
      heldAgents: 0,
      hold: { callerId: '+15550001', expiresAt: new Date(clock.now() + holdMs).toISOString() },
    });
    expect(Object.keys(first).slice(-2)).toEqual(['heldAgents', 'hold']);
    const second = await ask(1, '+15550002');
    expect(second).toMatchObject({ canTransfer: false, reason: 'not_enough_agents', availableAgents: 1, heldAgents: 1 });
    expect(second).not.toHaveProperty('hold');
    // Without a callerId the held agent is not free either.
    expect(await ask(1)).toMatchObject({ canTransfer: false, reason: 'not_enough_agents', heldAgents: 1 });
  });

  it('the same caller asking again for the same callerId gets the same hold and expiry, on either gate', async () => {
    const { ask, clock, store } = setup({}, 1);
    const first = await ask(0, '+15550001');
    clock.advance(10_000);
    const again = await ask(1, '+15550001');
    expect(again).toMatchObject({ canTransfer: true, heldAgents: 0, hold: first.hold });
    expect(await store.holds('support', clock.now())).toHaveLength(1);
    expect(auditLines().map((line) => line.message)).toEqual(['hold placed', 'hold reused']);
  });

  it("another caller's same callerId is a different hold", async () => {
    const { ask, clock, store } = setup({}, 2);
    const acme = await ask(0, '+15550001', 'acme');
    const other = await ask(1, '+15550001', 'other-vendor');
    expect(acme.hold).toBeDefined();
    expect(other).toMatchObject({ canTransfer: true, heldAgents: 1, hold: { callerId: '+15550001' } });
    expect((await store.holds('support', clock.now())).map((hold) => hold.callerName).sort()).toEqual(['acme', 'other-vendor']);
    expect(await ask(0, '+15550002', 'third')).toMatchObject({ canTransfer: false, heldAgents: 2 });
  });

  it('minAvailable counts too: 3 free and minAvailable 2 allow 2 holds', async () => {
    const { ask } = setup({ minAvailable: 2 }, 3);
    const answers = [];
    for (const id of ['c1', 'c2', 'c3']) answers.push(await ask(0, id));
    expect(answers.map((answer) => answer.canTransfer)).toEqual([true, true, false]);
    expect(answers[2]).toMatchObject({ heldAgents: 2, reason: 'not_enough_agents' });
  });

  it('a hold lapses after holdMs: its agent is free again, and the lapse is one audit line', async () => {
    const { ask, clock } = setup({ cacheTtlMs: 60_000 }, 1);
    await ask(0, '+15550001');
    clock.advance(holdMs - 1);
    expect(await ask(1, '+15550002')).toMatchObject({ canTransfer: false, heldAgents: 1 });
    clock.advance(1);
    const after = await ask(1, '+15550002');
    expect(after).toMatchObject({ canTransfer: true, heldAgents: 0, hold: { callerId: '+15550002' } });
    const lapsed = auditLines().filter((line) => line.message === 'hold lapsed');
    expect(lapsed).toHaveLength(1);
    expect(lapsed[0]).toMatchObject({ queue: 'support', caller: 'acme', callerId: '+15550001', expiresAt: '2026-11-22T10:00:30.000Z' });
    expect(lapsed[0]).not.toHaveProperty('availableAgents');
  });

  it('writes one audit line per hold placed, with the reading it was placed on', async () => {
    const { ask } = setup({}, 1);
    await ask(0, '+15550001');
    expect(auditLines()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'hold placed',
        queue: 'support',
        caller: 'acme',
        callerId: '+15550001',
        expiresAt: '2026-11-22T10:00:30.000Z',
        availableAgents: 1,
        busyAgents: 2,
        totalAgents: 5,
        checkedAt: '2026-11-22T10:00:00.000Z',
      }),
    ]);
  });
});

describe('answers without a fresh reading', () => {
  it('vendor_error under allow: "yes" per policy, no hold placed, heldAgents still reported', async () => {
    const { ask, vendor, clock, store } = setup({ onVendorError: 'allow' }, 1);
    await ask(0, '+15550001');
    vendor.availability = new VendorError('server', 'down');
    clock.advance(5_000);
    const decision = await ask(1, '+15550002');
    expect(decision).toMatchObject({ canTransfer: true, reason: 'vendor_error', availableAgents: null, heldAgents: 1 });
    expect(decision).not.toHaveProperty('hold');
    expect(await store.holds('support', clock.now())).toHaveLength(1);
  });

  it('a stale answer counts and places holds on its last good reading', async () => {
    const { ask, vendor, clock } = setup({ maxStaleMs: 60_000, cacheTtlMs: 1000 }, 2);
    await ask(0, '+15550001');
    vendor.availability = new VendorError('timeout', 'slow');
    clock.advance(2_000);
    expect(await ask(1, '+15550002')).toMatchObject({ source: 'stale', canTransfer: true, heldAgents: 1, hold: { callerId: '+15550002' } });
    expect(await ask(1, '+15550003')).toMatchObject({ source: 'stale', canTransfer: false, reason: 'not_enough_agents', heldAgents: 2 });
  });
});

describe('many callers at once, two containers', () => {
  async function race(available: number, callers = 30) {
    const { ask } = setup({}, available);
    await Promise.all([ask(0), ask(1)]); // both containers hold the reading: the race is on the holds alone
    const answers = await Promise.all(Array.from({ length: callers }, (_, index) => ask(index % 2, `+1555000${index}`)));
    return answers.filter((answer) => answer.canTransfer);
  }

  it('1 free agent and 30 concurrent checks with distinct callerIds: exactly one "yes"', async () => {
    const yes = await race(1);
    expect(yes).toHaveLength(1);
    expect(yes[0]!.hold).toBeDefined();
  });

  it('3 free agents: exactly three', async () => {
    expect(await race(3)).toHaveLength(3);
  });

  it("one container's placements on a queue take turns: never two of its writes on one queue at once", async () => {
    const { store, ask } = setup({}, 3);
    await ask(0);
    let inFlight = 0;
    let peak = 0;
    const placeHold = store.placeHold.bind(store);
    store.placeHold = async (...args) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      try {
        return await placeHold(...args);
      } finally {
        inFlight -= 1;
      }
    };
    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => ask(0, `+1555100${index}`)));
    expect(peak).toBe(1);
    expect(answers.filter((answer) => answer.canTransfer)).toHaveLength(3);
  });

  it('a closed queue with holds still reports heldAgents, and places none', async () => {
    const { ask, gates, queue } = setup({}, 2);
    expect((await ask(0, '+15550001')).hold).toBeDefined();
    const closed = { ...queue, policy: { ...queue.policy, schedule: { timeZone: 'UTC', weekly: {}, dates: {} } } } as typeof queue;
    const answer = (await gates[1]!.check(closed, { callerName: 'acme', callerId: '+15550002' })).decision;
    expect(answer).toMatchObject({ reason: 'closed', canTransfer: false, heldAgents: 1 });
    expect(answer.hold).toBeUndefined();
  });
});

describe('release', () => {
  it('by the caller that placed it frees the agent and is logged; by another caller it is false', async () => {
    const { ask, store, clock } = setup({}, 1);
    await ask(0, '+15550001', 'acme');
    const context = { store, now: clock.now() };
    expect(await releaseHold(context, 'support', 'other-vendor', '+15550001')).toBe(false);
    expect(await ask(1, '+15550002', 'other-vendor')).toMatchObject({ canTransfer: false });
    expect(await releaseHold(context, 'support', 'acme', '+15550001')).toBe(true);
    expect(await releaseHold(context, 'support', 'acme', '+15550001')).toBe(false);
    expect(await ask(1, '+15550002', 'other-vendor')).toMatchObject({ canTransfer: true, heldAgents: 0 });
    expect(auditLines().find((line) => line.message === 'hold released')).toMatchObject({
      queue: 'support',
      caller: 'acme',
      callerId: '+15550001',
      expiresAt: '2026-11-22T10:00:30.000Z',
    });
  });
});

describe('format=count', () => {
  it('answers availableAgents - heldAgents when canTransfer, else 0', async () => {
    const { ask } = setup({}, 3);
    await ask(0, 'c1');
    const second = await ask(1, 'c2');
    expect(second).toMatchObject({ availableAgents: 3, heldAgents: 1 });
    expect(transferCount(second)).toBe(2);
    await ask(0, 'c3');
    expect(transferCount(await ask(0, 'c4'))).toBe(0);
    expect(transferCount(await ask(0))).toBe(0);
  });
});

describe('callerId and holdMs rules', () => {
  it.each([
    ['+15551234567', undefined],
    ['sip:alice@example.com', undefined],
    ['a.b_c-d', undefined],
    ['', 'callerId must be 1 to 64 characters of 0-9 A-Z a-z + . _ : @ - (got 0)'],
    ['x'.repeat(65), 'callerId must be 1 to 64 characters of 0-9 A-Z a-z + . _ : @ - (got 65)'],
    ['+1 555', 'callerId must be 1 to 64 characters of 0-9 A-Z a-z + . _ : @ - (it has other characters)'],
    ['+1555/1', 'callerId must be 1 to 64 characters of 0-9 A-Z a-z + . _ : @ - (it has other characters)'],
  ])('%j -> %s', (value, problem) => {
    expect(callerIdProblem(value)).toBe(problem);
  });

  it('holdMs: 0 by default, 0 to 600000, in defaults or per queue', () => {
    const queue = (extra: Record<string, unknown>) => ({ ...supportQueue, ...extra });
    const config = parseGateConfig({ defaults: { holdMs: 20_000 }, queues: [queue({}), queue({ id: 'vip', holdMs: 600_000 })] });
    expect(config.queues.get('support')!.policy.holdMs).toBe(20_000);
    expect(config.queues.get('vip')!.policy.holdMs).toBe(600_000);
    expect(parseGateConfig({ queues: [queue({})] }).queues.get('support')!.policy.holdMs).toBe(0);
    expect(() => parseGateConfig({ queues: [queue({ holdMs: 600_001 })] })).toThrow(/holdMs/);
    expect(() => parseGateConfig({ defaults: { holdMs: -1 }, queues: [queue({})] })).toThrow(/holdMs/);
  });
});
