/**
 * Routes on the real local server (docs/callers/routes-and-destinations.md): each pick, a slow
 * member cut off at the deadline, no member available, visibility, formats, the hold release, the
 * destination fields, and every answer validated against openapi.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { callerEntry, freePorts, startTestGate, type TestGate } from '../support/local-gate';

const document = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'openapi.json'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
const ivrKey = 'ivr-key-0123456789abcdef';
const sellerKey = 'seller-key-0123456789abcdef';
const ivr = { 'x-api-key': ivrKey };
const seller = { 'x-api-key': sellerKey };
const usd35 = { amount: 35, currency: 'USD', minDurationSeconds: 90 };
let gate: TestGate;

beforeAll(async () => {
  const [a, b, c, slow] = await freePorts(4);
  const member = (id: string, port: number | undefined, extra: Record<string, unknown> = {}) => ({
    id,
    vendor: 'aloware',
    secret: 'tg/aloware',
    ringGroupId: 1,
    baseUrl: `http://127.0.0.1:${port}`,
    ...extra,
  });
  gate = await startTestGate({
    config: {
      defaults: { cacheTtlMs: 0, holdMs: 30_000, payout: usd35 },
      queues: [
        member('q-a', a, { transferTo: '+15551110001' }),
        member('q-b', b, { transferTo: 'sip:b@pbx.example.com' }),
        member('q-c', c),
        member('q-slow', slow),
      ],
      routes: {
        first: { queues: ['q-a', 'q-b', 'q-c'] },
        most: { queues: ['q-a', 'q-b', 'q-c'], pick: 'most_available' },
        weighted: { queues: ['q-a', 'q-b'], pick: 'weighted', weights: { 'q-a': 1, 'q-b': 1 } },
        hurried: { queues: ['q-slow', 'q-c'], deadlineMs: 600 },
      },
    },
    secrets: {
      'transfer-gate/callers': {
        callers: [
          // An admin: it releases any caller's holds between tests.
          { ...callerEntry('ivr', ivrKey, ['*']), admin: true },
          { ...callerEntry('seller', sellerKey, ['first']), transferTo: { 'q-a': '+15557654321' } },
        ],
      },
      'tg/aloware': { apiToken: 'aloware-token' },
    },
  });
});
afterAll(() => gate?.close());

const sim = (queue: string) => gate.simulators.get(queue)!;
/** Free agents per member; the others' simulators answer as before. */
function agents(counts: Record<string, number>) {
  for (const [queue, available] of Object.entries(counts)) sim(queue).setAgents({ available, busy: 1 });
}

beforeEach(() => {
  agents({ 'q-a': 0, 'q-b': 0, 'q-c': 0, 'q-slow': 1 });
  for (const queue of ['q-a', 'q-b', 'q-c', 'q-slow']) sim(queue).setMode('ok');
});

let callerIds = 0;
const used: string[] = [];
const nextCallerId = () => {
  const callerId = `+1555020${String((callerIds += 1)).padStart(4, '0')}`;
  used.push(callerId);
  return callerId;
};

/** Each test starts with no holds standing (holds last 30 s). */
afterEach(async () => {
  for (const callerId of used.splice(0)) await fetch(`${gate.url}/v1/routes/first/holds/${encodeURIComponent(callerId)}`, { method: 'DELETE', headers: ivr });
});

async function documented(pathAndQuery: string, headers: Record<string, string>) {
  const response = await gate.get(pathAndQuery, headers);
  const schema = document.paths['/v1/routes/{id}/availability'].get.responses[String(response.status)].content['application/json'].schema;
  const validate = ajv.compile({ ...schema, components: document.components });
  expect({ body: response.json, errors: validate(response.json) ? null : validate.errors }).toEqual({ body: response.json, errors: null });
  return response;
}

describe('picks', () => {
  it('first: the first yes in list order, with its hold, transferTo, payout, expiresInSeconds and every member in tried', async () => {
    agents({ 'q-b': 2, 'q-c': 3 });
    const callerId = nextCallerId();
    const { status, json } = await documented(`/v1/routes/first/availability?callerId=${encodeURIComponent(callerId)}`, ivr);
    expect(status).toBe(200);
    expect(json).toMatchObject({ route: 'first', queue: 'q-b', canTransfer: true, transferTo: 'sip:b@pbx.example.com', payout: usd35, hold: { callerId } });
    expect(json.expiresInSeconds).toBeGreaterThanOrEqual(29);
    expect(json.tried).toEqual([
      { queue: 'q-a', reason: 'not_enough_agents' },
      { queue: 'q-b', reason: 'agents_available' },
      { queue: 'q-c', reason: 'agents_available' },
    ]);
    const holds = async (queue: string) => (await gate.get(`/v1/queues/${queue}/availability`, ivr)).json.heldAgents;
    expect([await holds('q-a'), await holds('q-b'), await holds('q-c')]).toEqual([0, 1, 0]);
  });

  it('asked again with the same callerId: the same member and the same hold', async () => {
    agents({ 'q-a': 1, 'q-b': 1 });
    const query = `/v1/routes/first/availability?callerId=${encodeURIComponent(nextCallerId())}`;
    const first = (await gate.get(query, ivr)).json;
    agents({ 'q-a': 5 });
    const again = (await gate.get(query, ivr)).json;
    expect(again).toMatchObject({ queue: first.queue, hold: first.hold });
  });

  it('most_available: the most free agents net of holds; ties go to the earlier member', async () => {
    agents({ 'q-a': 2, 'q-b': 4, 'q-c': 4 });
    expect((await documented('/v1/routes/most/availability', ivr)).json).toMatchObject({ queue: 'q-b', availableAgents: 4 });
  });

  it('weighted: only a yes member is drawn, and equal weights spread over both', async () => {
    agents({ 'q-b': 1 });
    expect((await gate.get('/v1/routes/weighted/availability', ivr)).json.queue).toBe('q-b');
    agents({ 'q-a': 1, 'q-b': 1 });
    const chosen = new Set<string>();
    for (let index = 0; index < 40; index += 1) chosen.add((await gate.get('/v1/routes/weighted/availability', ivr)).json.queue);
    expect([...chosen].sort()).toEqual(['q-a', 'q-b']);
  });
});

it('a member slower than the deadline is cut off as a timeout; the answer comes within deadlineMs + 300 ms', async () => {
  agents({ 'q-c': 1 });
  sim('q-slow').setMode('slow', { slowMs: 3000 });
  const started = performance.now();
  const { json } = await documented('/v1/routes/hurried/availability', ivr);
  expect(performance.now() - started).toBeLessThan(600 + 300);
  expect(json).toMatchObject({ queue: 'q-c', canTransfer: true });
  expect(json.tried[0]).toEqual({ queue: 'q-slow', reason: 'vendor_error', vendorError: 'timeout' });
});

it('no member says yes: canTransfer false, queue null, no_queue_available, tried; no destination', async () => {
  const { json } = await documented(`/v1/routes/first/availability?callerId=${encodeURIComponent(nextCallerId())}`, ivr);
  expect(json).toEqual({
    route: 'first',
    queue: null,
    canTransfer: false,
    reason: 'no_queue_available',
    tried: ['q-a', 'q-b', 'q-c'].map((queue) => ({ queue, reason: 'not_enough_agents' })),
  });
});

describe('formats', () => {
  it('text and Accept: text/plain say true or false; count is the chosen queue count, else 0', async () => {
    agents({ 'q-c': 3 });
    expect((await gate.get('/v1/routes/first/availability?format=text', ivr)).text).toBe('true');
    expect((await gate.get('/v1/routes/first/availability', { ...ivr, accept: 'text/plain' })).text).toBe('true');
    expect((await gate.get('/v1/routes/first/availability?format=count', ivr)).text).toBe('3');
    agents({ 'q-c': 0 });
    expect((await gate.get('/v1/routes/first/availability?format=text', ivr)).text).toBe('false');
    expect((await gate.get('/v1/routes/first/availability?format=count', ivr)).text).toBe('0');
    expect((await gate.get('/v1/routes/first/availability?format=xml', ivr)).json.error).toBe('invalid_request');
  });
});

describe('visibility and destinations', () => {
  it("a seller sees the routes its queues name, not the members one by one; its own transferTo replaces the queue's", async () => {
    agents({ 'q-a': 1 });
    expect((await gate.get('/v1/routes/first/availability', seller)).json).toMatchObject({ queue: 'q-a', transferTo: '+15557654321' });
    expect(await gate.get('/v1/queues/q-a/availability', seller)).toMatchObject({ status: 404, json: { error: 'queue_not_found' } });
    expect(await gate.get('/v1/routes/most/availability', seller)).toMatchObject({ status: 404, json: { error: 'queue_not_found' } });
    expect(await gate.get('/v1/routes/nowhere/availability', ivr)).toMatchObject({ status: 404, json: { error: 'queue_not_found' } });
    expect((await gate.get('/v1/routes/first/availability')).status).toBe(401);
  });

  it('a queue answer carries transferTo and payout on a yes, never on a no', async () => {
    agents({ 'q-a': 1 });
    expect((await gate.get('/v1/queues/q-a/availability', ivr)).json).toMatchObject({ canTransfer: true, transferTo: '+15551110001', payout: usd35 });
    agents({ 'q-a': 0 });
    const no = (await gate.get('/v1/queues/q-a/availability', ivr)).json;
    expect(no.canTransfer).toBe(false);
    expect(no).not.toHaveProperty('transferTo');
    expect(no).not.toHaveProperty('payout');
  });
});

it("DELETE /v1/routes/{id}/holds/{callerId} releases the caller's hold on whichever member holds it: 204, then 404", async () => {
  agents({ 'q-b': 1 });
  const callerId = nextCallerId();
  expect((await gate.get(`/v1/routes/first/availability?callerId=${encodeURIComponent(callerId)}`, seller)).json).toMatchObject({
    queue: 'q-b',
    hold: { callerId },
  });
  const release = () => fetch(`${gate.url}/v1/routes/first/holds/${encodeURIComponent(callerId)}`, { method: 'DELETE', headers: seller });
  expect((await release()).status).toBe(204);
  const again = await release();
  expect([again.status, ((await again.json()) as { error: string }).error]).toEqual([404, 'hold_not_found']);
  expect((await gate.get('/v1/queues/q-b/availability', ivr)).json.heldAgents).toBe(0);
});

it('GET /v1/status lists the routes with their members and how many say yes now (no vendor call)', async () => {
  agents({ 'q-a': 1, 'q-b': 1 });
  await gate.get('/v1/queues/q-a/availability', ivr);
  await gate.get('/v1/queues/q-b/availability', ivr);
  const calls = sim('q-a').calls();
  const { status, json } = await gate.get('/v1/status', ivr);
  expect(status).toBe(200);
  expect(sim('q-a').calls()).toBe(calls);
  const validate = ajv.compile({ ...document.paths['/v1/status'].get.responses['200'].content['application/json'].schema, components: document.components });
  expect(validate(json) ? null : validate.errors).toBeNull();
  expect(json.routes.map((route: { route: string }) => route.route)).toEqual(['first', 'most', 'weighted', 'hurried']);
  expect(json.routes.find((route: { route: string }) => route.route === 'weighted')).toEqual({
    route: 'weighted',
    queues: ['q-a', 'q-b'],
    pick: 'weighted',
    deadlineMs: 2000,
    membersAvailable: 2,
  });
});
