/**
 * Table round trips one after another per check (docs/operators/shared-state.md#what-it-costs): a miss costs at most
 * three (read beside the override lookup; the lease returning the item beside the budget charge;
 * the reading written with the lease released), a fresh reading not in memory one. The store here
 * is a MemoryStore whose every call takes a tick, so calls made in parallel overlap; bench/
 * round-trips.ts measures the same against dynalite.
 */
import * as z from 'zod/mini';
import { MemoryStore } from '../../../shared/state/memory-store';
import type { StateStore } from '../../../shared/state/store';
import { manualClock } from '../../support/clock';
import { fakeAdapters } from '../../support/fake-adapters';
import { fakeFetch, jsonReply } from '../../support/fake-fetch';
import { gateQueue } from '../../support/gate-config';
import { gatesSharingOneStore } from '../../support/shared-gates';

interface Call {
  method: string;
  start: number;
  end: number;
}

/** Records each call's start and end on one event counter. */
function tickingStore() {
  const calls: Call[] = [];
  let events = 0;
  const store = new Proxy(new MemoryStore(), {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !(property in MemoryStore.prototype)) return value;
      return async (...args: unknown[]) => {
        const call: Call = { method: String(property), start: (events += 1), end: Number.NaN };
        calls.push(call);
        await new Promise((resolve) => setTimeout(resolve, 1));
        const result: unknown = await Reflect.apply(value, target, args);
        call.end = events += 1;
        return result;
      };
    },
  }) as StateStore;
  return { store, calls };
}

function depth(calls: readonly Call[]): number {
  let chain = 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.end - b.end)) {
    if (call.start > lastEnd) {
      chain += 1;
      lastEnd = call.end;
    }
  }
  return chain;
}

function setup(budgets?: Map<string, number>) {
  const clock = manualClock();
  const { store, calls } = tickingStore();
  const fetch = fakeFetch(() => jsonReply({ available: 2 }));
  const adapters = fakeAdapters(async (request) => ({
    available: (await request.http!.requestJson({ url: new URL('https://vendor.example/a'), signal: request.signal }, z.object({ available: z.number() }))).body
      .available,
  }));
  const gates = gatesSharingOneStore({ adapters, store, now: clock.now, fetch, budgets });
  const queue = gateQueue({ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }, { cacheTtlMs: 1000 });
  const measure = async (gate: number) => {
    const first = calls.length;
    const { decision } = await gates[gate]!.check(queue);
    const made = calls.slice(first);
    return { decision, depth: depth(made), methods: made.map((call) => call.method).sort() };
  };
  return { clock, measure, gates, queue, store };
}

it.each([
  ['no vendor budget', undefined],
  ['a vendor budget', new Map([['tg/aloware', 100]])],
])('with %s: a miss costs 3 round trips, a fresh reading not in memory 1', async (_name, budgets) => {
  const { clock, measure } = setup(budgets);
  await measure(0);
  await measure(1);
  clock.advance(1_100); // the reading and both override lookups are too old
  const miss = await measure(0);
  expect(miss.decision.source).toBe('live');
  expect(miss.depth).toBe(3);
  expect(miss.methods).toEqual(['blockedUntil', 'getOverride', 'putReading', 'readState', 'takeLease', ...(budgets ? ['spendBudget'] : [])].sort());
  const fresh = await measure(1);
  expect(fresh.decision.source).toBe('cache');
  expect(fresh.depth).toBe(1);
});

it('a budget charge paid beside a lease another container won is given back', async () => {
  const { gates, queue, store, clock } = setup(new Map([['tg/aloware', 100]]));
  const answers = await Promise.all([gates[0]!.check(queue), gates[1]!.check(queue)]);
  expect(answers.map(({ decision }) => decision.source).sort()).toEqual(['cache', 'live']);
  await new Promise((resolve) => setTimeout(resolve, 20)); // the refund is not awaited by the answer
  // One call was made, so one unit is spent: room for exactly one more of a budget of 2.
  expect(await store.spendBudget('tg/aloware', clock.now(), 2, 1)).toBe(true);
  expect(await store.spendBudget('tg/aloware', clock.now(), 2, 1)).toBe(false);
});
