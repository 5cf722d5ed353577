/**
 * Holds only on the chosen queue (docs/callers/routes-and-destinations.md): concurrent route
 * pings from two gates on one table, k free agents over the members: exactly k yeses in total,
 * each member holding no more than its free agents, and nothing on a member that was not chosen
 * (one says no, one is cut off at the deadline mid-read).
 */
import { proxyEvent } from '../support/api-gateway-event';
import { callerEntry, freePorts } from '../support/local-gate';
import { type SharedGates, startSharedGates } from '../support/two-gates';

const key = 'route-holds-key-0123456789';
let gates: SharedGates;
const free: Record<string, number> = { two: 2, one: 1, none: 0, slow: 3 };

beforeAll(async () => {
  const ports = (await freePorts(4)).map((port) => `http://127.0.0.1:${port}`);
  const ids = Object.keys(free);
  gates = await startSharedGates({
    gates: 2,
    callerKey: key,
    // A GC pause on a loaded test machine must not send a placement to the container's memory.
    storeBudgetMs: 2_000,
    config: {
      defaults: { cacheTtlMs: 60_000, timeoutMs: 2500, holdMs: 30_000 },
      queues: ids.map((id, index) => ({ id, vendor: 'aloware', secret: `tg/${id}`, ringGroupId: 1, baseUrl: ports[index] })),
      routes: { spread: { queues: ['slow', 'none', 'one', 'two'], pick: 'most_available', deadlineMs: 1000 } },
    },
    secrets: {
      'transfer-gate/callers': { callers: [callerEntry('acme', key, ['*'])] },
      ...Object.fromEntries(ids.map((id) => [`tg/${id}`, { apiToken: `${id}-token` }])),
    },
  });
  for (const [id, simulator] of gates.simulators) simulator.setAgents({ available: free[id]!, busy: 1 });
  gates.simulators.get('slow')!.setMode('slow', { slowMs: 2_000 });
}, 20_000);
afterAll(() => gates?.close());

const ping = (gate: number, callerId: string) =>
  gates.send(
    gate,
    proxyEvent('/v1/routes/{id}/availability', '/v1/routes/spread/availability', { id: 'spread' }, { headers: { 'x-api-key': key }, query: { callerId } }),
  );

it('20 concurrent pings over two gates for 3 free agents (slow member cut off): exactly 3 yeses, holds only where chosen', async () => {
  const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => ping(index % 2, `+1555030${String(index).padStart(4, '0')}`)));
  const yeses = answers.filter((answer) => answer.json.canTransfer === true);
  expect(yeses).toHaveLength(3);
  expect(yeses.map((answer) => answer.json.queue).sort()).toEqual(['one', 'two', 'two']);
  for (const answer of answers) expect(answer.json.tried[0]).toEqual({ queue: 'slow', reason: 'vendor_error', vendorError: 'timeout' });
  // Past the slow vendor's answer: a read finished after the cut-off placed nothing either.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const now = Date.now();
  const store = gates.runtimes[0]!.store;
  const held = Object.fromEntries(await Promise.all(Object.keys(free).map(async (id) => [id, (await store.holds(id, now)).length] as const)));
  expect(held).toEqual({ two: 2, one: 1, none: 0, slow: 0 });
}, 30_000);
