/**
 * Shared state (docs/operators/shared-state.md) across containers: two Gates on one MemoryStore stand in for two Lambda containers
 * (each with its own container memory, adapters and secret cache, one shared store).
 */
import * as z from 'zod/mini';
import type { GateQueue, Policy } from '../../shared/config/gate-config';
import { VendorError } from '../../shared/errors';
import { Gate, type GateCheck } from '../../shared/gate';
import { createHttpClient } from '../../shared/vendors/http-client';
import { SecretStore } from '../../shared/secrets';
import { MemoryStore } from '../../shared/state/memory-store';
import { createAircallAdapter } from '../../shared/vendors/aircall';
import type { Availability } from '../../shared/vendors/port';
import { deferred, manualClock } from '../support/clock';
import { type CheckImpl, fakeAdapters } from '../support/fake-adapters';
import { type RecordedRequest, fakeFetch, jsonReply } from '../support/fake-fetch';
import { fakeSecretSource } from '../support/fake-secrets';
import { fixtureJson } from '../support/fixtures';
import { gateQueue } from '../support/gate-config';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const alowareQueue = (id: string, policy: Partial<Policy> = {}) => gateQueue({ id, vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }, policy);
const secrets = { 'tg/aloware': { apiToken: 'token-1' }, 'tg/aircall': { apiId: 'company-a', apiToken: 'aircall-token' } };

/** Two containers on one store, calling one scripted vendor. */
function twoContainers(
  impl: CheckImpl = async () => ({ available: 3 }),
  extra: { budgets?: Map<string, number>; route?: (request: RecordedRequest) => Response } = {},
) {
  const clock = manualClock();
  const store = new MemoryStore();
  const adapters = fakeAdapters(impl);
  const fetch = fakeFetch(extra.route ?? (() => jsonReply({ ok: true })));
  const container = (owner: string) =>
    new Gate({
      adapters,
      secrets: new SecretStore(fakeSecretSource(secrets), { now: clock.now }),
      store,
      now: clock.now,
      owner,
      http: createHttpClient({ fetch, now: clock.now }),
      budgets: extra.budgets,
    });
  const calls = () => adapters.aloware.check.mock.calls.length;
  const answer = (next: CheckImpl) => adapters.aloware.check.mockImplementation(next);
  return { clock, store, a: container('container-a'), b: container('container-b'), calls, answer, fetch };
}

const slowly =
  (ms: number, availability: Availability = { available: 3 }): CheckImpl =>
  async () => {
    await sleep(ms);
    return availability;
  };
const fails =
  (error: VendorError): CheckImpl =>
  async () => {
    throw error;
  };

describe('one vendor call per queue per cacheTtlMs, across containers', () => {
  it("many concurrent checks on two gates make one call per TTL; the other gate answers the holder's reading from cache", async () => {
    const { a, b, calls, clock } = twoContainers(slowly(30));
    const queue = alowareQueue('support', { cacheTtlMs: 2000 });
    const round = () => Promise.all([...Array.from({ length: 40 }, () => a.check(queue)), ...Array.from({ length: 40 }, () => b.check(queue))]);
    const first = await round();
    expect(calls()).toBe(1);
    expect(first.slice(0, 40).every(({ decision }) => decision.source === 'live' && decision.availableAgents === 3)).toBe(true);
    expect(first.slice(40).every(({ decision }) => decision.source === 'cache' && decision.availableAgents === 3)).toBe(true);
    clock.advance(1999);
    await round();
    expect(calls()).toBe(1);
    clock.advance(1);
    await round();
    expect(calls()).toBe(2);
  });

  it("a lease waiter answers the holder's result with source cache and reports no read of its own", async () => {
    const { a, b, answer } = twoContainers();
    const vendor = deferred<Availability>();
    answer(() => vendor.promise);
    const queue = alowareQueue('support');
    const holder = a.check(queue);
    await sleep(5);
    const waiter = b.check(queue);
    await sleep(60);
    vendor.resolve({ available: 7 });
    const [held, waited] = await Promise.all([holder, waiter]);
    expect(held.decision).toMatchObject({ source: 'live', availableAgents: 7 });
    expect(held.read).toBeDefined();
    expect(waited.decision).toMatchObject({ source: 'cache', availableAgents: 7, checkedAt: held.decision.checkedAt });
    expect(waited).not.toHaveProperty('read');
  });

  it('a lease whose holder died lapses, and the waiting gate takes it and reads the vendor', async () => {
    const { a, store, clock, calls } = twoContainers();
    const queue = alowareQueue('support', { timeoutMs: 2000 });
    expect(await store.takeLease('queue:support', 'dead-container', clock.now(), 3000)).toBeDefined();
    const check = a.check(queue);
    await sleep(60);
    expect(calls()).toBe(0);
    clock.advance(3000);
    expect((await check).decision).toMatchObject({ source: 'live', availableAgents: 3 });
    expect(calls()).toBe(1);
  });

  it('a waiter whose holder never writes gives up within its own timeoutMs', async () => {
    const { a, store, clock, calls } = twoContainers();
    await store.takeLease('queue:support', 'slow-container', clock.now(), 60_000);
    const started = performance.now();
    const { decision } = await a.check(alowareQueue('support', { timeoutMs: 100 }));
    expect(decision).toMatchObject({ reason: 'vendor_error', vendorError: 'timeout', availableAgents: null });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(calls()).toBe(0);
  });
});

describe('failures count too', () => {
  it('backs off cacheTtlMs (at least 1 s), doubling per failure in a row, up to 60 s, across both gates', async () => {
    const { a, b, clock, answer } = twoContainers();
    const callTimes: number[] = [];
    const start = clock.now();
    answer(async () => {
      callTimes.push(clock.now() - start);
      throw new VendorError('server', 'vendor answered HTTP 503', { status: 503 });
    });
    const queue = alowareQueue('support', { cacheTtlMs: 500 });
    for (let step = 0; step <= 400; step += 1) {
      await (step % 2 ? b : a).check(queue);
      clock.advance(500);
    }
    expect(callTimes).toEqual([0, 1000, 3000, 7000, 15_000, 31_000, 63_000, 123_000, 183_000]);
  });

  it('meanwhile answers stale within maxStaleMs, else vendor_error, with the recorded vendorError, without a call', async () => {
    const { a, b, clock, calls, answer } = twoContainers();
    const queue = alowareQueue('support', { cacheTtlMs: 1000, maxStaleMs: 60_000 });
    await a.check(queue);
    clock.advance(1000);
    answer(fails(new VendorError('auth', 'vendor answered HTTP 401', { status: 401 })));
    expect((await a.check(queue)).decision).toMatchObject({ vendorError: 'auth', source: 'stale' });
    clock.advance(500);
    expect((await b.check(queue)).decision).toMatchObject({ source: 'stale', availableAgents: 3, vendorError: 'auth', ageMs: 1500 });
    const strict = { ...queue, policy: { ...queue.policy, maxStaleMs: 0 } };
    expect((await b.check(strict)).decision).toMatchObject({ reason: 'vendor_error', availableAgents: null, vendorError: 'auth' });
    expect(calls()).toBe(2);
  });
});

describe('Retry-After blocks the secret', () => {
  it('a 429 seen by one gate blocks the other gate and the sibling queues on the same secret', async () => {
    const { a, b, clock, calls, answer } = twoContainers();
    answer(fails(new VendorError('rate_limited', 'vendor answered HTTP 429', { status: 429, retryAfterMs: 30_000 })));
    expect((await a.check(alowareQueue('support'))).decision).toMatchObject({ vendorError: 'rate_limited' });
    answer(async () => ({ available: 2 }));
    const sibling = alowareQueue('sales');
    const other = gateQueue({ id: 'other', vendor: 'aloware', secret: 'tg/other', ringGroupId: 2 });
    expect((await b.check(sibling)).decision).toMatchObject({ reason: 'vendor_error', vendorError: 'rate_limited' });
    clock.advance(29_999);
    expect((await a.check(sibling)).decision).toMatchObject({ vendorError: 'rate_limited' });
    expect(calls()).toBe(1);
    // A queue on another secret is not held back (its secret is missing here, so it fails on auth, not rate_limited).
    expect((await b.check(other)).decision.vendorError).toBe('auth');
    clock.advance(1);
    expect((await b.check(sibling)).decision).toMatchObject({ source: 'live', availableAgents: 2 });
    expect(calls()).toBe(2);
  });

  it('is capped at 5 minutes', async () => {
    const { a, b, clock, calls, answer } = twoContainers();
    answer(fails(new VendorError('rate_limited', 'x', { retryAfterMs: 86_400_000 })));
    await a.check(alowareQueue('support'));
    answer(async () => ({ available: 1 }));
    clock.advance(299_999);
    await b.check(alowareQueue('sales'));
    expect(calls()).toBe(1);
    clock.advance(1);
    expect((await b.check(alowareQueue('sales'))).decision.source).toBe('live');
  });
});

const okSchema = z.object({ ok: z.boolean() });

describe('vendor budgets', () => {
  it('a budget of N requests per minute holds across both gates, every request counted (a token fetch and a page per check)', async () => {
    const { a, b, clock, fetch } = twoContainers(
      async ({ http, signal }) => {
        await http!.requestJson({ url: new URL('https://vendor.test/token'), signal }, okSchema);
        await http!.requestJson({ url: new URL('https://vendor.test/page'), signal }, okSchema);
        return { available: 1 };
      },
      { budgets: new Map([['tg/aloware', 5]]) },
    );
    const results: GateCheck[] = [];
    for (const [gate, id] of [
      [a, 'q1'],
      [b, 'q2'],
      [a, 'q3'],
      [b, 'q4'],
    ] as const)
      results.push(await gate.check(alowareQueue(id)));
    expect(fetch.calls).toHaveLength(5);
    expect(results.map(({ decision }) => decision.vendorError)).toEqual([undefined, undefined, 'rate_limited', 'rate_limited']);
    expect(results[3]!.read?.error?.kind).toBe('rate_limited');
    clock.advance(60_000);
    expect((await b.check(alowareQueue('q4'))).decision).toMatchObject({ source: 'live' });
    expect(fetch.calls).toHaveLength(7);
  });
});

describe('Aircall queues on one secret', () => {
  const aircallQueue = (id: string, shape: Record<string, unknown>, cacheTtlMs: number): GateQueue =>
    gateQueue({ id, vendor: 'aircall', secret: 'tg/aircall', ...shape }, { cacheTtlMs });

  function aircallContainers() {
    const clock = manualClock();
    const store = new MemoryStore();
    const vendor = { down: false };
    const fetch = fakeFetch(({ url }) => {
      if (vendor.down) return jsonReply({ message: 'down' }, 503);
      if (url.pathname === '/v1/teams/42') return jsonReply(fixtureJson('aircall/team-42.json'));
      if (url.pathname === '/v1/users/availabilities') return jsonReply(fixtureJson(`aircall/availabilities-page-${url.searchParams.get('page')}.json`));
      return jsonReply({ message: 'not found' }, 404);
    });
    const queues = [
      aircallQueue('closers', { teamId: 42 }, 5000),
      aircallQueue('vip', { userIds: [1001, 1002] }, 2000),
      aircallQueue('solo', { userIds: [1005] }, 3000),
    ];
    const container = (owner: string) => {
      const http = createHttpClient({ fetch, now: clock.now });
      return new Gate({
        adapters: { ...fakeAdapters(), aircall: createAircallAdapter({ http, now: clock.now }) },
        secrets: new SecretStore(fakeSecretSource(secrets), { now: clock.now }),
        store,
        now: clock.now,
        owner,
        http,
        queues,
      });
    };
    const pagesRead = () => fetch.calls.filter(({ url }) => url.pathname === '/v1/users/availabilities').length;
    return { clock, store, queues, fetch, pagesRead, vendor, a: container('container-a'), b: container('container-b') };
  }

  it('share one company-wide read (all pages) per the shortest cacheTtlMs, on both gates', async () => {
    const { a, b, clock, queues, pagesRead, store } = aircallContainers();
    const checkAll = () => Promise.all([a, b].flatMap((gate) => queues.map((queue) => gate.check(queue))));
    const first = await checkAll();
    expect(pagesRead()).toBe(2);
    expect(first.every(({ decision }) => decision.reason !== 'vendor_error')).toBe(true);
    expect(first.map(({ decision }) => decision.totalAgents)).toEqual([6, 2, 1, 6, 2, 1]);
    // The stored read holds user ids and statuses only.
    const stored = (await store.readState('aircall:tg/aircall')).reading;
    expect(Object.keys(stored?.snapshot ?? {})).toContain('1001');
    expect(JSON.stringify(stored)).not.toMatch(/@|name/i);
    clock.advance(1999);
    await checkAll();
    expect(pagesRead()).toBe(2);
    clock.advance(1);
    await checkAll();
    expect(pagesRead()).toBe(4);
  });

  it('each queue projects its own members from the shared read, the same answer as its own read', async () => {
    const { a, queues } = aircallContainers();
    const [closers, vip] = [await a.check(queues[0]!), await a.check(queues[1]!)];
    expect(closers.decision).toMatchObject({ availableAgents: 1, busyAgents: 2, awayAgents: 1, offlineAgents: 2, totalAgents: 6 });
    expect(vip.decision.totalAgents).toBe(2);
  });

  it("when the shared read fails, a queue's stale answer is its own projection, never the company's counts", async () => {
    const { a, b, queues, clock, vendor } = aircallContainers();
    const closers = { ...queues[0]!, policy: { ...queues[0]!.policy, maxStaleMs: 60_000 } };
    await a.check(closers);
    vendor.down = true;
    clock.advance(5000);
    expect((await a.check(closers)).decision).toMatchObject({ source: 'stale', vendorError: 'server', availableAgents: 1, totalAgents: 6 });
    // Another container, its team cache cold and the vendor down: no projection is possible, so vendor_error.
    expect((await b.check(closers)).decision).toMatchObject({ reason: 'vendor_error', vendorError: 'server', availableAgents: null });
  });
});
