/**
 * `source` (docs/callers/http-api.md): `live` only for the answer whose own check called the vendor, or
 * joined a call this process had in flight; every answer that made no vendor call says `cache`.
 * The vendor here is a fake adapter that makes its requests through the gate's HTTP client, so
 * every request it sends is charged and counted like a real adapter's.
 */
import * as z from 'zod/mini';
import type { Policy } from '../../../shared/config/gate-config';
import { Gate } from '../../../shared/gate';
import { SecretStore } from '../../../shared/secrets';
import { MemoryStore } from '../../../shared/state/memory-store';
import { createHttpClient } from '../../../shared/vendors/http-client';
import { manualClock } from '../../support/clock';
import { fakeAdapters } from '../../support/fake-adapters';
import { fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';
import { gateQueue } from '../../support/gate-config';
import { gatesSharingOneStore } from '../../support/shared-gates';

const countSchema = z.object({ available: z.number() });

function setup(policy: Partial<Policy> = {}, budgets?: Map<string, number>) {
  const clock = manualClock();
  const vendor = { status: 200, retryAfter: undefined as string | undefined };
  const fetch = fakeFetch(() => jsonReply({ available: 2 }, vendor.status, vendor.retryAfter ? { 'retry-after': vendor.retryAfter } : {}));
  const adapters = fakeAdapters(async (request) => {
    const { body } = await request.http!.requestJson({ url: new URL('https://vendor.example/agents'), signal: request.signal }, countSchema);
    return { available: body.available };
  });
  const store = new MemoryStore();
  const gates = gatesSharingOneStore({ adapters, store, now: clock.now, fetch, budgets });
  const queue = gateQueue({ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }, { cacheTtlMs: 1000, ...policy });
  const ask = async (gate = 0) => (await gates[gate]!.check(queue)).decision;
  return { clock, vendor, fetch, ask, gates, queue };
}

it('the check that called the vendor is live; the next ones, in this container or another, are cache', async () => {
  const { ask, fetch } = setup();
  expect(await ask(0)).toMatchObject({ source: 'live', availableAgents: 2 });
  expect(await ask(0)).toMatchObject({ source: 'cache' });
  expect(await ask(1)).toMatchObject({ source: 'cache' });
  expect(fetch.calls).toHaveLength(1);
});

it('a 5xx: the failing check is live; answers during the backoff (either container) are cache', async () => {
  const { ask, fetch, vendor, clock } = setup();
  vendor.status = 503;
  expect(await ask(0)).toMatchObject({ reason: 'vendor_error', vendorError: 'server', source: 'live' });
  clock.advance(500);
  expect(await ask(0)).toMatchObject({ reason: 'vendor_error', source: 'cache' });
  expect(await ask(1)).toMatchObject({ reason: 'vendor_error', source: 'cache' });
  expect(fetch.calls).toHaveLength(1);
});

it('a Retry-After block: the check that got the 429 is live; blocked checks are cache', async () => {
  const { ask, fetch, vendor, clock } = setup();
  vendor.status = 429;
  vendor.retryAfter = '30';
  expect(await ask(0)).toMatchObject({ vendorError: 'rate_limited', source: 'live' });
  clock.advance(5_000); // past the backoff, within the block
  expect(await ask(1)).toMatchObject({ vendorError: 'rate_limited', source: 'cache' });
  expect(fetch.calls).toHaveLength(1);
});

it('a spent vendor budget makes no call: cache', async () => {
  const { ask, fetch, clock } = setup({ cacheTtlMs: 0 }, new Map([['tg/aloware', 1]]));
  expect(await ask(0)).toMatchObject({ source: 'live', canTransfer: true });
  clock.advance(1);
  expect(await ask(0)).toMatchObject({ vendorError: 'rate_limited', source: 'cache' });
  expect(fetch.calls).toHaveLength(1);
});

it('checks that joined a call in flight in this process are live; a closed queue is cache', async () => {
  const { gates, queue, fetch } = setup();
  const answers = await Promise.all([gates[0]!.check(queue), gates[0]!.check(queue)]);
  expect(answers.map(({ decision }) => decision.source)).toEqual(['live', 'live']);
  expect(fetch.calls).toHaveLength(1);
  const closed = { ...queue, policy: { ...queue.policy, schedule: { timeZone: 'UTC', weekly: {}, dates: {} } } } as typeof queue;
  expect((await gates[1]!.check(closed)).decision).toMatchObject({ reason: 'closed', source: 'cache', availableAgents: null, ageMs: 0 });
});

/** An adapter whose calls skip the gate's HTTP client (an AWS SDK client's, as Amazon Connect's): each pays through `request.charge`. */
function sdkSetup(calls: number, budget: number) {
  const clock = manualClock();
  const sent = { count: 0 };
  const adapters = fakeAdapters(async (request) => {
    for (let call = 0; call < calls; call += 1) {
      await request.charge!();
      sent.count += 1;
    }
    return { available: 2 };
  });
  const store = new MemoryStore();
  const fetch = fakeFetch(() => jsonReply({}));
  const gate = new Gate({
    adapters,
    secrets: new SecretStore(fakeSecretSource({ 'tg/aloware': { apiToken: 't' } }), { now: clock.now }),
    store,
    now: clock.now,
    http: createHttpClient({ fetch, now: clock.now }),
    budgets: new Map([['tg/aloware', budget]]),
  });
  const queue = gateQueue({ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }, { cacheTtlMs: 0 });
  return { ask: async () => (await gate.check(queue)).decision, sent, clock };
}

it('calls paid through request.charge (SDK clients) count as vendor calls: live, the first paid by the prepayment', async () => {
  // Two calls a check against a budget of four: the prepayment pays the first, so two checks fit in the minute.
  const { ask, sent, clock } = sdkSetup(2, 4);
  expect(await ask()).toMatchObject({ source: 'live', canTransfer: true });
  clock.advance(1);
  expect(await ask()).toMatchObject({ source: 'live', canTransfer: true });
  expect(sent.count).toBe(4);
  clock.advance(1);
  expect(await ask()).toMatchObject({ vendorError: 'rate_limited', source: 'cache' });
  expect(sent.count).toBe(4);
});
