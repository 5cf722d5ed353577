/**
 * A route's member check (docs/callers/routes-and-destinations.md): `probe` answers as `check`
 * would but places nothing; `place` makes the promise on the chosen member only; a probe's vendor
 * read can be given up through an AbortSignal, which releases its lease and records no failure.
 */
import type { Policy } from '../../../shared/config/gate-config';
import { Gate } from '../../../shared/gate';
import { SecretStore } from '../../../shared/secrets';
import { MemoryStore } from '../../../shared/state/memory-store';
import type { Availability } from '../../../shared/vendors/port';
import { manualClock } from '../../support/clock';
import { fakeAdapters } from '../../support/fake-adapters';
import { fakeSecretSource } from '../../support/fake-secrets';
import { gateQueue } from '../../support/gate-config';

const supportQueue = { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 };

function setup(policy: Partial<Policy> = { holdMs: 30_000 }, read: (signal: AbortSignal) => Promise<Availability> = async () => ({ available: 1 })) {
  const clock = manualClock();
  const signals: AbortSignal[] = [];
  const adapters = fakeAdapters(async (request) => {
    signals.push(request.signal);
    return read(request.signal);
  });
  const store = new MemoryStore();
  const secrets = new SecretStore(fakeSecretSource({ 'tg/aloware': { apiToken: 'token-1' } }), { now: clock.now });
  const gate = new Gate({ adapters, secrets, store, now: clock.now, owner: 'a' });
  const queue = gateQueue(supportQueue, policy);
  return { clock, store, gate, queue, signals };
}

const acme = { callerName: 'acme', callerId: '+15550001' };

it('a probe answers like a check, counting the holds of others, and places nothing', async () => {
  const { gate, queue, store, clock } = setup();
  const probe = await gate.probe(queue, acme);
  expect(probe.decision).toMatchObject({ canTransfer: true, heldAgents: 0 });
  expect(probe.decision).not.toHaveProperty('hold');
  expect(probe.ownHold).toBe(false);
  expect(await store.holds('support', clock.now())).toEqual([]);
});

it('place puts the hold on the probed queue; a second probe by the same caller sees its own hold', async () => {
  const { gate, queue, store, clock } = setup();
  const placed = await gate.place(queue, await gate.probe(queue, acme), acme);
  expect(placed).toMatchObject({ canTransfer: true, heldAgents: 0, hold: { callerId: '+15550001' } });
  expect(await store.holds('support', clock.now())).toHaveLength(1);
  const again = await gate.probe(queue, acme);
  expect(again.ownHold).toBe(true);
  expect(again.decision.canTransfer).toBe(true);
  const other = await gate.probe(queue, { callerName: 'other', callerId: '+15550002' });
  expect(other.decision).toMatchObject({ canTransfer: false, reason: 'not_enough_agents', heldAgents: 1 });
});

it('two yes probes of one free agent: only one placement succeeds', async () => {
  const { gate, queue } = setup();
  const bob = { callerName: 'bob', callerId: '+15550009' };
  const [first, second] = await Promise.all([gate.probe(queue, acme), gate.probe(queue, bob)]);
  expect([first.decision.canTransfer, second.decision.canTransfer]).toEqual([true, true]);
  expect((await gate.place(queue, first, acme)).canTransfer).toBe(true);
  expect(await gate.place(queue, second, bob)).toMatchObject({ canTransfer: false, heldAgents: 1 });
});

it('a queue without holds: the probe is the answer and place changes nothing', async () => {
  const { gate, queue } = setup({ holdMs: 0 });
  const probe = await gate.probe(queue, acme);
  expect(await gate.place(queue, probe, acme)).toEqual(probe.decision);
  expect(probe.decision).not.toHaveProperty('heldAgents');
});

describe('giving up a probe', () => {
  const hanging = (signal: AbortSignal) =>
    new Promise<Availability>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));

  it('answers a timeout at once, aborts the vendor request, records no failure and releases the lease', async () => {
    const { gate, queue, store, signals } = setup({ holdMs: 30_000 }, hanging);
    const controller = new AbortController();
    const probing = gate.probe(queue, acme, controller.signal);
    while (signals.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const probe = await probing;
    expect(probe.decision).toMatchObject({ canTransfer: false, reason: 'vendor_error', vendorError: 'timeout' });
    expect(signals[0]!.aborted).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    const state = await store.readState('queue:support');
    expect(state.failure).toBeUndefined();
    expect(state.lease!.until).toBeLessThanOrEqual(Date.parse('2026-11-22T10:00:00.000Z'));
  });

  it('a check without a signal that joined the flight keeps it running to its end', async () => {
    let release: (value: Availability) => void = () => {};
    const { gate, queue, signals } = setup({ holdMs: 0 }, () => new Promise((resolve) => (release = resolve)));
    const controller = new AbortController();
    const probing = gate.probe(queue, acme, controller.signal);
    while (signals.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const checking = gate.check(queue, acme);
    controller.abort();
    expect((await probing).decision.vendorError).toBe('timeout');
    expect(signals[0]!.aborted).toBe(false);
    release({ available: 2 });
    expect((await checking).decision).toMatchObject({ canTransfer: true, availableAgents: 2 });
  });
});

it("a probe waiting for another container's read gives up at once; that read goes on", async () => {
  let release: (value: Availability) => void = () => {};
  const { gate, queue, store, clock, signals } = setup({ holdMs: 0 }, () => new Promise((resolve) => (release = resolve)));
  const secrets = new SecretStore(fakeSecretSource({ 'tg/aloware': { apiToken: 'token-1' } }), { now: clock.now });
  const other = new Gate({ adapters: fakeAdapters(), secrets, store, now: clock.now, owner: 'b', pollMs: 5 });
  const holder = gate.check(queue);
  while (signals.length === 0) await new Promise((resolve) => setImmediate(resolve));
  const controller = new AbortController();
  const waiting = other.probe(queue, acme, controller.signal);
  await new Promise((resolve) => setTimeout(resolve, 20));
  controller.abort();
  expect((await waiting).decision).toMatchObject({ reason: 'vendor_error', vendorError: 'timeout' });
  release({ available: 2 });
  expect((await holder).decision).toMatchObject({ canTransfer: true, availableAgents: 2 });
  expect(signals[0]!.aborted).toBe(false);
});

describe('probeFromMemory', () => {
  it("answers a queue without holds from the container's memory once its hours and reading are known", async () => {
    const { gate, queue } = setup({ holdMs: 0 });
    expect(gate.probeFromMemory(queue)).toBeUndefined();
    const { decision } = await gate.check(queue);
    // The same reading, now answered from memory: no vendor call for it.
    const fromMemory = { ...decision, source: 'cache' };
    expect(gate.probeFromMemory(queue)).toEqual({ decision: fromMemory, unheld: fromMemory, ownHold: false });
  });

  it('leaves a queue with holds to probe (its holds are read from the store)', async () => {
    const { gate, queue } = setup({ holdMs: 30_000 });
    await gate.check(queue);
    expect(gate.probeFromMemory(queue)).toBeUndefined();
  });

  it('leaves to probe a queue with geography, or a call of a seller with limits (they need the request or the table)', async () => {
    const geo = setup({ holdMs: 0, geo: { states: ['TX'], onUnknown: 'deny' } });
    await geo.gate.check(geo.queue);
    expect(geo.gate.probeFromMemory(geo.queue)).toBeUndefined();
    const plain = setup({ holdMs: 0 });
    await plain.gate.check(plain.queue);
    expect(plain.gate.probeFromMemory(plain.queue, { ...acme, sellerLimits: { pingsPerMinute: 5 } })).toBeUndefined();
    expect(plain.gate.probeFromMemory(plain.queue, acme)).toBeDefined();
  });

  it("a probe refuses a call from outside a queue's area, with the call's state, and never reads the vendor for it", async () => {
    const { gate, queue, signals } = setup({ holdMs: 30_000, geo: { states: ['TX'], onUnknown: 'deny' } });
    const probe = await gate.probe(queue, { ...acme, state: 'CA' });
    expect(probe.decision).toMatchObject({ canTransfer: false, reason: 'outside_area', callerState: 'CA' });
    expect(signals).toHaveLength(0);
  });
});
