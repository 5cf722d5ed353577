/**
 * Routes respect limits (docs/callers/routes-and-destinations.md, docs/operators/limits.md): a
 * member that says yes on its probe but refuses at placement for a limit (the seller's maxHolds,
 * the queue's transfersPerHour) hands the call to the next member, or the route answers
 * no_queue_available; no member the route did not choose keeps a hold.
 */
import { proxyEvent } from '../support/api-gateway-event';
import { callerEntry, freePorts } from '../support/local-gate';
import { type SharedGates, startSharedGates } from '../support/two-gates';

const limitedKey = 'route-limits-limited-0123456789';
const openKey = 'route-limits-open-0123456789';
const pingerKey = 'route-limits-pinger-0123456789';
const ids = ['alpha', 'beta', 'capped', 'spare', 'texas', 'fallback'];
let gates: SharedGates;

beforeAll(async () => {
  const ports = (await freePorts(ids.length)).map((port) => `http://127.0.0.1:${port}`);
  gates = await startSharedGates({
    gates: 1,
    callerKey: limitedKey,
    storeBudgetMs: 2_000,
    config: {
      defaults: { cacheTtlMs: 60_000, timeoutMs: 2500, holdMs: 30_000 },
      queues: ids.map((id, index) => ({
        id,
        vendor: 'aloware',
        secret: `tg/${id}`,
        ringGroupId: 1,
        baseUrl: ports[index],
        ...(id === 'capped' && { limits: { transfersPerHour: 1 } }),
        ...(id === 'texas' && { geo: { states: ['TX'] } }),
      })),
      routes: { pair: { queues: ['alpha', 'beta'] }, overflow: { queues: ['capped', 'spare'] }, southwest: { queues: ['texas', 'fallback'] } },
    },
    secrets: {
      'transfer-gate/callers': {
        callers: [
          { ...callerEntry('limited', limitedKey, ['*']), limits: { maxHolds: 1 } },
          callerEntry('open', openKey, ['*']),
          { ...callerEntry('pinger', pingerKey, ['*']), limits: { pingsPerMinute: 2 } },
        ],
      },
      ...Object.fromEntries(ids.map((id) => [`tg/${id}`, { apiToken: `${id}-token` }])),
    },
  });
  for (const simulator of gates.simulators.values()) simulator.setAgents({ available: 3, busy: 1 });
}, 20_000);
afterAll(() => gates?.close());

const ping = (route: string, key: string, callerId: string, query: Record<string, string> = {}) =>
  gates.send(
    0,
    proxyEvent(
      '/v1/routes/{id}/availability',
      `/v1/routes/${route}/availability`,
      { id: route },
      { headers: { 'x-api-key': key }, query: { callerId, ...query } },
    ),
  );

const holdsOn = async (id: string) => (await gates.runtimes[0]!.store.holds(id, Date.now())).map((hold) => `${hold.callerName}:${hold.callerId}`);

it("a seller at maxHolds: every member refuses at placement, no_queue_available, and no hold but the seller's first", async () => {
  const first = await ping('pair', limitedKey, '+15550400001');
  expect(first.json).toMatchObject({ route: 'pair', queue: 'alpha', canTransfer: true });
  const second = await ping('pair', limitedKey, '+15550400002');
  expect(second.status).toBe(200);
  expect(second.json).toMatchObject({ route: 'pair', queue: null, canTransfer: false, reason: 'no_queue_available' });
  expect(second.json.tried).toEqual([
    { queue: 'alpha', reason: 'caller_limit' },
    { queue: 'beta', reason: 'caller_limit' },
  ]);
  expect(await holdsOn('alpha')).toEqual(['limited:+15550400001']);
  expect(await holdsOn('beta')).toEqual([]);
});

it("a member over its queue limit at placement: the next member answers, and the refusing member keeps only the earlier call's hold", async () => {
  const first = await ping('overflow', openKey, '+15550400011');
  expect(first.json).toMatchObject({ route: 'overflow', queue: 'capped', canTransfer: true });
  const second = await ping('overflow', openKey, '+15550400012');
  expect(second.json).toMatchObject({ route: 'overflow', queue: 'spare', canTransfer: true, reason: 'agents_available' });
  expect(second.json.tried).toEqual([
    { queue: 'capped', reason: 'queue_limit' },
    { queue: 'spare', reason: 'agents_available' },
  ]);
  expect(await holdsOn('capped')).toEqual(['open:+15550400011']);
  expect(await holdsOn('spare')).toEqual(['open:+15550400012']);
});

it('a route with a limited member needs the callerId (400), like the queue', async () => {
  const answer = await gates.send(
    0,
    proxyEvent('/v1/routes/{id}/availability', '/v1/routes/overflow/availability', { id: 'overflow' }, { headers: { 'x-api-key': openKey } }),
  );
  expect(answer.status).toBe(400);
  expect(answer.json).toMatchObject({ error: 'invalid_request' });
});

it("a member with geography refuses a call from elsewhere on its probe (the next member answers), and says the call's state", async () => {
  const elsewhere = await ping('southwest', openKey, '+15550400021', { state: 'ca' });
  expect(elsewhere.json).toMatchObject({ queue: 'fallback', canTransfer: true });
  expect(elsewhere.json.tried[0]).toEqual({ queue: 'texas', reason: 'outside_area' });
  expect(await holdsOn('texas')).toEqual([]);
  const local = await ping('southwest', openKey, '+15550400022', { state: 'TX' });
  expect(local.json).toMatchObject({ queue: 'texas', canTransfer: true, callerState: 'TX' });
});

it('pingsPerMinute counts a route request once, however many members it asks', async () => {
  // Not across a minute's boundary: the count starts again there.
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
  expect((await ping('pair', pingerKey, '+15550400031')).status).toBe(200);
  expect((await ping('pair', pingerKey, '+15550400032')).status).toBe(200);
  const third = await ping('pair', pingerKey, '+15550400033');
  expect(third.status).toBe(429);
  expect(third.headers['Retry-After'] ?? third.headers['retry-after']).toBeDefined();
  expect(third.json).toMatchObject({ error: 'rate_limited' });
}, 15_000);
