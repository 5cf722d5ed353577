import type { GateQueue, Policy } from '../../shared/config/gate-config';
import { SecretError, VendorError } from '../../shared/errors';
import { Gate, type GateDeps, toVendorError } from '../../shared/gate';
import { SecretStore } from '../../shared/secrets';
import { MemoryStore } from '../../shared/state/memory-store';
import type { Availability } from '../../shared/vendors/port';
import { deferred, manualClock } from '../support/clock';
import { type CheckImpl, fakeAdapters } from '../support/fake-adapters';
import { fakeSecretSource } from '../support/fake-secrets';
import { gateQueue } from '../support/gate-config';

const supportQueue = { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 };

/** A gate on its own memory store, answering decisions only (`core` gives the whole check). */
function decisionsOf(deps: Omit<GateDeps, 'store'>) {
  const core = new Gate({ store: new MemoryStore(), ...deps });
  return { core, check: async (queue: GateQueue) => (await core.check(queue)).decision };
}

function setup(policy: Partial<Policy> = {}, impl: CheckImpl = async () => ({ available: 3 })) {
  const clock = manualClock();
  const adapters = fakeAdapters(impl);
  const secretSource = fakeSecretSource({ 'tg/aloware': { apiToken: 'token-1' } });
  const { core, ...gate } = decisionsOf({ adapters, secrets: new SecretStore(secretSource, { now: clock.now }), now: clock.now });
  const queue = gateQueue(supportQueue, policy);
  const adapter = adapters.aloware;
  const answer = (next: CheckImpl) => adapter.check.mockImplementation(next);
  return { clock, gate, core, queue, adapter, answer, secretSource };
}

const answers =
  (availability: Availability): CheckImpl =>
  async () =>
    availability;
const fails =
  (error: unknown): CheckImpl =>
  async () => {
    throw error;
  };

describe('a live decision', () => {
  it('carries the contract fields and agents_available', async () => {
    const { gate, queue, clock, adapter } = setup({}, answers({ available: 3, busy: 2, away: 1, offline: 4, total: 10 }));
    const decision = await gate.check(queue);
    expect(decision).toEqual({
      queue: 'support',
      canTransfer: true,
      reason: 'agents_available',
      availableAgents: 3,
      minAvailable: 1,
      vendor: 'aloware',
      source: 'live',
      checkedAt: new Date(clock.now()).toISOString(),
      ageMs: 0,
      busyAgents: 2,
      awayAgents: 1,
      offlineAgents: 4,
      totalAgents: 10,
    });
    expect(Object.keys(decision).slice(0, 9)).toEqual([
      'queue',
      'canTransfer',
      'reason',
      'availableAgents',
      'minAvailable',
      'vendor',
      'source',
      'checkedAt',
      'ageMs',
    ]);
    expect(adapter.check).toHaveBeenCalledTimes(1);
  });

  it('gives the adapter the queue, the validated secret, a live signal and the deadline', async () => {
    const { gate, queue, clock, adapter } = setup({ timeoutMs: 2000 });
    await gate.check(queue);
    const request = adapter.check.mock.calls[0]![0];
    expect(request.queue).toBe(queue);
    expect(request.secret).toEqual({ apiToken: 'token-1' });
    expect(request.signal.aborted).toBe(false);
    // The budget starts with the check: time spent on the state store is already spent.
    expect(request.deadline).toBeLessThanOrEqual(clock.now() + 2000);
    expect(request.deadline).toBeGreaterThan(clock.now() + 1900);
  });

  it("copies the extra answer fields the vendor declares (Aloware's unroutableReasons) after the counts", async () => {
    const { gate, queue } = setup({}, answers({ available: 0, total: 2, extras: { unroutableReasons: { is_active: 2 } } }));
    const decision = await gate.check(queue);
    expect(decision).toMatchObject({ unroutableReasons: { is_active: 2 }, totalAgents: 2 });
    expect(Object.keys(decision).slice(-2)).toEqual(['totalAgents', 'unroutableReasons']);
  });

  it('leaves out counts the vendor did not give', async () => {
    const { gate, queue } = setup({}, answers({ available: 1 }));
    const decision = await gate.check(queue);
    expect(decision).not.toHaveProperty('busyAgents');
    expect(decision).not.toHaveProperty('totalAgents');
    expect(decision).not.toHaveProperty('vendorError');
  });

  it.each([
    [0, 1, false, 'not_enough_agents'],
    [1, 1, true, 'agents_available'],
    [1, 2, false, 'not_enough_agents'],
    [2, 2, true, 'agents_available'],
    [5, 2, true, 'agents_available'],
  ] as const)('%i available with minAvailable %i -> canTransfer %p', async (available, minAvailable, canTransfer, reason) => {
    const { gate, queue } = setup({ minAvailable }, answers({ available }));
    expect(await gate.check(queue)).toMatchObject({ canTransfer, reason, availableAgents: available, minAvailable });
  });

  it('returns the read it made, with its latency, and none for a cached answer', async () => {
    const { core, queue, clock, answer } = setup();
    answer(async () => {
      clock.advance(120);
      return { available: 3 };
    });
    expect((await core.check(queue)).read).toEqual({ latencyMs: 120 });
    expect(await core.check(queue)).not.toHaveProperty('read');
  });
});

describe('caching', () => {
  it('serves a vendor answer from cache within cacheTtlMs, with its age', async () => {
    const { gate, queue, clock, adapter } = setup({ cacheTtlMs: 3000 });
    const live = await gate.check(queue);
    clock.advance(2999);
    const cached = await gate.check(queue);
    expect(cached).toMatchObject({ source: 'cache', ageMs: 2999, checkedAt: live.checkedAt, availableAgents: 3, canTransfer: true });
    expect(adapter.check).toHaveBeenCalledTimes(1);
  });

  it('asks the vendor again once cacheTtlMs has passed', async () => {
    const { gate, queue, clock, adapter, answer } = setup({ cacheTtlMs: 3000 });
    await gate.check(queue);
    answer(answers({ available: 0 }));
    clock.advance(3000);
    expect(await gate.check(queue)).toMatchObject({ source: 'live', ageMs: 0, availableAgents: 0, canTransfer: false });
    expect(adapter.check).toHaveBeenCalledTimes(2);
  });

  it('never caches with cacheTtlMs 0', async () => {
    const { gate, queue, adapter } = setup({ cacheTtlMs: 0 });
    await gate.check(queue);
    await gate.check(queue);
    expect(adapter.check).toHaveBeenCalledTimes(2);
  });

  it('keeps queues apart', async () => {
    const { gate, queue, adapter } = setup();
    await gate.check(queue);
    await gate.check({ ...queue, id: 'other' });
    expect(adapter.check).toHaveBeenCalledTimes(2);
  });

  it('lets 50 concurrent checks of a cold queue share one vendor call', async () => {
    const { gate, queue, adapter, answer, secretSource } = setup();
    const vendor = deferred<Availability>();
    answer(() => vendor.promise);
    const checks = Array.from({ length: 50 }, () => gate.check(queue));
    await new Promise((resolve) => setImmediate(resolve));
    vendor.resolve({ available: 4 });
    const decisions = await Promise.all(checks);
    expect(adapter.check).toHaveBeenCalledTimes(1);
    expect(secretSource.reads).toEqual(['tg/aloware']);
    expect(decisions.every((decision) => decision.source === 'live' && decision.availableAgents === 4)).toBe(true);
  });
});

describe('vendor errors', () => {
  it('under deny: canTransfer false, availableAgents null, the error kind', async () => {
    const { gate, queue, clock } = setup({ onVendorError: 'deny' }, fails(new VendorError('server', 'vendor answered HTTP 503', { status: 503 })));
    expect(await gate.check(queue)).toEqual({
      queue: 'support',
      canTransfer: false,
      reason: 'vendor_error',
      availableAgents: null,
      minAvailable: 1,
      vendor: 'aloware',
      source: 'live',
      checkedAt: new Date(clock.now()).toISOString(),
      ageMs: 0,
      vendorError: 'server',
    });
  });

  it('under allow: canTransfer true, still availableAgents null', async () => {
    const { gate, queue } = setup({ onVendorError: 'allow' }, fails(new VendorError('auth', 'vendor answered HTTP 401', { status: 401 })));
    expect(await gate.check(queue)).toMatchObject({ canTransfer: true, reason: 'vendor_error', availableAgents: null, vendorError: 'auth' });
  });

  it('are remembered: no call before cacheTtlMs (at least 1 s), then the vendor is asked again', async () => {
    const { gate, queue, adapter, answer, clock } = setup({ cacheTtlMs: 500 }, fails(new VendorError('server', 'x')));
    await gate.check(queue);
    answer(answers({ available: 2 }));
    clock.advance(999);
    expect(await gate.check(queue)).toMatchObject({ reason: 'vendor_error', vendorError: 'server' });
    expect(adapter.check).toHaveBeenCalledTimes(1);
    clock.advance(1);
    expect(await gate.check(queue)).toMatchObject({ source: 'live', availableAgents: 2 });
    expect(adapter.check).toHaveBeenCalledTimes(2);
  });

  it('are returned with the read that met them', async () => {
    const error = new VendorError('network', 'could not reach the vendor');
    const { core, queue } = setup({}, fails(error));
    expect((await core.check(queue)).read).toEqual({ latencyMs: 0, error });
  });

  it('a plain Error thrown by an adapter becomes a vendor_error, not a crash', async () => {
    const { gate, queue } = setup({}, fails(new TypeError("Cannot read properties of undefined (reading 'length')")));
    expect(await gate.check(queue)).toMatchObject({ reason: 'vendor_error', vendorError: 'bad_payload', canTransfer: false });
  });

  it('a SecretError becomes vendorError auth', async () => {
    const { gate, queue } = setup({}, fails(new SecretError('secret "tg/aloware" is not valid JSON')));
    expect(await gate.check(queue)).toMatchObject({ reason: 'vendor_error', vendorError: 'auth' });
  });

  it('a missing vendor secret becomes vendorError auth without calling the adapter', async () => {
    const { gate, queue, adapter } = setup();
    const decision = await gate.check({ ...queue, secret: 'tg/missing' });
    expect(decision).toMatchObject({ reason: 'vendor_error', vendorError: 'auth' });
    expect(adapter.check).not.toHaveBeenCalled();
  });

  it('a secret without the fields the adapter needs becomes vendorError auth', async () => {
    const clock = manualClock();
    const adapters = fakeAdapters();
    const gate = decisionsOf({ adapters, secrets: new SecretStore(fakeSecretSource({ 'tg/aloware': { token: 'x' } })), now: clock.now });
    expect(await gate.check(gateQueue(supportQueue))).toMatchObject({ vendorError: 'auth' });
    expect(adapters.aloware.check).not.toHaveBeenCalled();
  });
});

describe('stale answers', () => {
  it('serves the last good answer within maxStaleMs, with its reason and the error kind', async () => {
    const { gate, queue, clock, answer } = setup({ cacheTtlMs: 1000, maxStaleMs: 60_000, minAvailable: 2 }, answers({ available: 1, total: 5 }));
    const live = await gate.check(queue);
    answer(fails(new VendorError('timeout', 'x')));
    clock.advance(59_999);
    expect(await gate.check(queue)).toEqual({
      ...live,
      source: 'stale',
      ageMs: 59_999,
      reason: 'not_enough_agents',
      canTransfer: false,
      vendorError: 'timeout',
    });
  });

  it('falls back to the policy once the last good answer is older than maxStaleMs', async () => {
    const { gate, queue, clock, answer } = setup({ cacheTtlMs: 1000, maxStaleMs: 60_000, onVendorError: 'deny' });
    await gate.check(queue);
    answer(fails(new VendorError('server', 'x')));
    clock.advance(60_000);
    expect(await gate.check(queue)).toMatchObject({ source: 'live', reason: 'vendor_error', availableAgents: null, canTransfer: false });
  });

  it('is never served with maxStaleMs 0', async () => {
    const { gate, queue, clock, answer } = setup({ cacheTtlMs: 1000, maxStaleMs: 0 });
    await gate.check(queue);
    answer(fails(new VendorError('server', 'x')));
    clock.advance(1000);
    expect(await gate.check(queue)).toMatchObject({ reason: 'vendor_error', source: 'live' });
  });
});

describe('the time budget', () => {
  it('gives vendorError timeout when an adapter never answers, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const { gate, adapter, answer } = setup();
    answer((request) => {
      signal = request.signal;
      return new Promise<Availability>(() => undefined);
    });
    const queue = gateQueue(supportQueue, { timeoutMs: 50 });
    const decision = await gate.check(queue);
    expect(decision).toMatchObject({ reason: 'vendor_error', vendorError: 'timeout', availableAgents: null });
    expect(adapter.check).toHaveBeenCalledTimes(1);
    expect(signal?.aborted).toBe(true);
  });

  it('counts a slow secret fetch against the budget', async () => {
    const clock = manualClock();
    const adapters = fakeAdapters();
    const gate = decisionsOf({ adapters, secrets: new SecretStore({ getSecretString: () => new Promise<string>(() => undefined) }), now: clock.now });
    expect(await gate.check(gateQueue(supportQueue, { timeoutMs: 50 }))).toMatchObject({ vendorError: 'timeout' });
    expect(adapters.aloware.check).not.toHaveBeenCalled();
  });

  it('does not abort the signal of a call that answered in time', async () => {
    const { gate, queue, adapter } = setup({ timeoutMs: 50 });
    await gate.check(queue);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(adapter.check.mock.calls[0]![0].signal.aborted).toBe(false);
  });
});

describe('rate limiting', () => {
  it('makes no vendor call until the Retry-After has passed', async () => {
    const { gate, queue, clock, adapter, answer } = setup(
      { cacheTtlMs: 0 },
      fails(new VendorError('rate_limited', 'vendor answered HTTP 429', { status: 429, retryAfterMs: 10_000 })),
    );
    expect(await gate.check(queue)).toMatchObject({ vendorError: 'rate_limited' });
    answer(answers({ available: 2 }));

    clock.advance(9_999);
    expect(await gate.check(queue)).toMatchObject({ reason: 'vendor_error', vendorError: 'rate_limited' });
    expect(adapter.check).toHaveBeenCalledTimes(1);

    clock.advance(1);
    expect(await gate.check(queue)).toMatchObject({ source: 'live', availableAgents: 2 });
    expect(adapter.check).toHaveBeenCalledTimes(2);
  });

  it('serves a stale answer while blocked when maxStaleMs allows', async () => {
    const { gate, queue, clock, adapter, answer } = setup({ cacheTtlMs: 1000, maxStaleMs: 60_000 });
    await gate.check(queue);
    answer(fails(new VendorError('rate_limited', 'x', { retryAfterMs: 30_000 })));
    clock.advance(1000);
    expect(await gate.check(queue)).toMatchObject({ source: 'stale', vendorError: 'rate_limited', availableAgents: 3 });
    clock.advance(10_000);
    expect(await gate.check(queue)).toMatchObject({ source: 'stale', vendorError: 'rate_limited', ageMs: 11_000 });
    expect(adapter.check).toHaveBeenCalledTimes(2);
  });

  it('blocks for at most 5 minutes whatever the vendor asks', async () => {
    const { gate, queue, clock, adapter, answer } = setup({ cacheTtlMs: 0 }, fails(new VendorError('rate_limited', 'x', { retryAfterMs: 86_400_000 })));
    await gate.check(queue);
    answer(answers({ available: 1 }));
    clock.advance(299_999);
    await gate.check(queue);
    expect(adapter.check).toHaveBeenCalledTimes(1);
    clock.advance(1);
    expect(await gate.check(queue)).toMatchObject({ source: 'live', reason: 'agents_available', availableAgents: 1 });
    expect(adapter.check).toHaveBeenCalledTimes(2);
  });

  it('without a Retry-After waits only the failure backoff', async () => {
    const { gate, queue, adapter, clock } = setup({ cacheTtlMs: 0 }, fails(new VendorError('rate_limited', 'x', { status: 429 })));
    await gate.check(queue);
    await gate.check(queue);
    expect(adapter.check).toHaveBeenCalledTimes(1);
    clock.advance(1000);
    await gate.check(queue);
    expect(adapter.check).toHaveBeenCalledTimes(2);
  });
});

describe('toVendorError', () => {
  it('keeps a VendorError as it is', () => {
    const error = new VendorError('not_found', 'x', { status: 404 });
    expect(toVendorError(error)).toBe(error);
  });

  it('turns a SecretError into auth and anything else into bad_payload, keeping the cause', () => {
    const secretError = new SecretError('secret "s" is not valid JSON');
    expect(toVendorError(secretError)).toMatchObject({ kind: 'auth', message: secretError.message, cause: secretError });
    expect(toVendorError(new RangeError('boom'))).toMatchObject({ kind: 'bad_payload', message: 'unexpected RangeError while reading the vendor' });
    expect(toVendorError(undefined)).toMatchObject({ kind: 'bad_payload' });
  });
});
