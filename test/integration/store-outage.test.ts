import '../support/warn-logs';
/**
 * The table stops answering (docs/on-call/when-things-fail.md): two gates (two runtimes, own
 * clients and container memory) on one in-process dynalite behind a proxy that the test pauses.
 * Overrides stay in force on both gates, an override write is refused with 503, holds follow
 * onStoreError, plain requests answer as usual, and after recovery holds are shared again.
 */
import { callerEntry, freePorts } from '../support/local-gate';
import { availabilityEvent, proxyEvent } from '../support/api-gateway-event';
import { type SharedGates, startSharedGates } from '../support/two-gates';

const adminKey = 'store-outage-admin-key-0123456789';
let gates: SharedGates;

beforeAll(async () => {
  const [port] = await freePorts(1);
  const aloware = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    vendor: 'aloware',
    secret: 'tg/aloware',
    ringGroupId: 1,
    baseUrl: `http://127.0.0.1:${port}`,
    ...extra,
  });
  gates = await startSharedGates({
    gates: 2,
    callerKey: adminKey,
    // A stalled table costs each gate one 300 ms budget, then the circuit skips it for 1 s.
    storeBudgetMs: 300,
    circuitOpenMs: 1_000,
    pausable: true,
    config: {
      // The simulator has 3 free agents: with minAvailable 3 there is room for one hold.
      defaults: { cacheTtlMs: 60_000, holdMs: 30_000, minAvailable: 3 },
      queues: [aloware('closable', { holdMs: 0 }), aloware('plain', { holdMs: 0 }), aloware('held-deny'), aloware('held-allow', { onStoreError: 'allow' })],
    },
    secrets: { 'transfer-gate/callers': { callers: [{ ...callerEntry('ops', adminKey, ['*']), admin: true }] }, 'tg/aloware': { apiToken: 'aloware-token' } },
  });
}, 20_000);
afterAll(() => gates?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const headers = { 'x-api-key': adminKey };
const ask = async (gate: number, queue: string, callerId?: string) =>
  (await gates.send(gate, availabilityEvent(queue, { headers, ...(callerId && { query: { callerId } }) }))).json;
const override = (gate: number, queue: string, method: string, body?: unknown) => {
  const event = proxyEvent('/v1/queues/{id}/override', `/v1/queues/${queue}/override`, { id: queue }, { method, headers });
  if (body !== undefined) event.body = JSON.stringify(body);
  return gates.send(gate, event);
};

it('during an outage: overrides stay, writes are refused, holds follow onStoreError, plain requests answer; after it, holds are shared again', async () => {
  // Before: every gate has read every queue (readings and override lookups); support is closed by an admin.
  for (const gate of [0, 1]) for (const queue of ['closable', 'plain', 'held-deny', 'held-allow']) expect((await ask(gate, queue)).canTransfer).toBe(true);
  expect((await override(0, 'closable', 'PUT', { state: 'closed', note: 'storm' })).status).toBe(200);
  await sleep(1_050); // gate 1's override lookup (kept 1 s) reads the closure
  expect(await ask(1, 'closable')).toMatchObject({ reason: 'closed', closedBy: 'override' });

  gates.proxy!.paused = true;
  await sleep(1_050); // every override lookup is now too old: the next ones need the table
  for (let round = 0; round < 3; round += 1) {
    for (const gate of [0, 1]) expect(await ask(gate, 'closable')).toMatchObject({ canTransfer: false, reason: 'closed', closedBy: 'override' });
    await sleep(400);
  }
  const put = await override(1, 'plain', 'PUT', { state: 'closed' });
  expect(put).toMatchObject({ status: 503, json: { error: 'state_unavailable' } });
  expect(put.headers['Retry-After']).toBe('5');
  expect((await override(0, 'closable', 'DELETE')).status).toBe(503);
  for (const gate of [0, 1]) {
    expect(await ask(gate, 'plain')).toMatchObject({ canTransfer: true, reason: 'agents_available', availableAgents: 3 });
    expect(await ask(gate, 'closable')).toMatchObject({ reason: 'closed' });
    expect(await ask(gate, 'held-deny', `+1555000100${gate}`)).toMatchObject({
      canTransfer: false,
      reason: 'state_unavailable',
      availableAgents: 3,
      heldAgents: null,
    });
    const allowed = await ask(gate, 'held-allow', `+1555000200${gate}`);
    expect(allowed).toMatchObject({ canTransfer: true, reason: 'agents_available', stateUnavailable: true, heldAgents: null });
    expect(allowed).not.toHaveProperty('hold');
  }
  expect(gates.proxy!.held).toBeGreaterThan(0);

  gates.proxy!.resume();
  await sleep(1_100); // both circuits may probe the table again
  const placed = await ask(0, 'held-deny', '+15550003001');
  expect(placed).toMatchObject({ canTransfer: true, heldAgents: 0, hold: { callerId: '+15550003001' } });
  expect(await ask(1, 'held-deny', '+15550003002')).toMatchObject({ canTransfer: false, reason: 'not_enough_agents', heldAgents: 1 });
  // No hold was placed during the outage, on either queue.
  expect(await ask(1, 'held-allow', '+15550003003')).toMatchObject({ canTransfer: true, heldAgents: 0 });
  // The unconfirmed PUT never landed: plain is open on both gates.
  for (const gate of [0, 1]) expect((await ask(gate, 'plain')).reason).toBe('agents_available');
}, 20_000);
