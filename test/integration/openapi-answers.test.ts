/**
 * openapi.json describes the real answers: live answers of the real local server (yes, no,
 * vendor_error; 400, 401, 404; health; the document itself) validate against its response schemas.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { callerEntry, freePorts, startTestGate, type TestGate } from '../support/local-gate';

const document = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'openapi.json'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
const key = 'ivr-key-0123456789abcdef';
const adminKey = 'ops-key-0123456789abcdef';
let gate: TestGate;

beforeAll(async () => {
  const [aloware, calltools] = await freePorts(2);
  const at = (port: number | undefined) => `http://127.0.0.1:${port}`;
  gate = await startTestGate({
    config: {
      defaults: { cacheTtlMs: 0 },
      schedules: { never: { timeZone: 'UTC', weekly: {} } },
      queues: [
        { id: 'closed-q', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: at(aloware), schedule: 'never' },
        { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: at(aloware) },
        { id: 'sales', vendor: 'calltools', secret: 'tg/calltools', baseUrl: at(calltools), queueId: 5457 },
        { id: 'held', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: at(aloware), holdMs: 30_000 },
      ],
    },
    secrets: {
      'transfer-gate/callers': { callers: [callerEntry('ivr', key, ['*']), { ...callerEntry('ops', adminKey, ['*']), admin: true }] },
      'tg/aloware': { apiToken: 'aloware-token' },
      'tg/calltools': { apiKey: 'calltools-key' },
    },
  });
});
afterAll(() => gate?.close());

/** The documented schema for this answer (`resource` as in the document, status, content type). */
function schemaFor(resource: string, status: number, contentType: string, method = 'get') {
  const responses = document.paths[resource]?.[method]?.responses;
  const media = contentType.startsWith('text/plain') ? 'text/plain' : 'application/json';
  const schema = responses?.[String(status)]?.content?.[media]?.schema;
  if (!schema) throw new Error(`no documented ${status} ${media} answer for ${method.toUpperCase()} ${resource}`);
  return { ...schema, components: document.components };
}

async function expectDocumented(resource: string, pathAndQuery: string, status: number, headers: Record<string, string> = {}) {
  const response = await gate.get(pathAndQuery, headers);
  expect(response.status).toBe(status);
  const contentType = response.headers.get('content-type') ?? '';
  const validate = ajv.compile(schemaFor(resource, status, contentType));
  const body = contentType.startsWith('text/plain') ? response.text : response.json;
  expect({ body, errors: validate(body) ? null : validate.errors }).toEqual({ body, errors: null });
  return response;
}

const availability = '/v1/queues/{id}/availability';
const withKey = { 'x-api-key': key };

it("yes, with Aloware's extra field", async () => {
  gate.simulators.get('support')!.setAgents({ available: 3, busy: 1 });
  const response = await expectDocumented(availability, '/v1/queues/support/availability', 200, withKey);
  expect(response.json).toMatchObject({ canTransfer: true, reason: 'agents_available' });
  expect(response.json).toHaveProperty('unroutableReasons');
});

it('no', async () => {
  gate.simulators.get('sales')!.setAgents({ available: 0 });
  const response = await expectDocumented(availability, '/v1/queues/sales/availability', 200, withKey);
  expect(response.json).toMatchObject({ canTransfer: false, reason: 'not_enough_agents' });
});

it('vendor_error', async () => {
  gate.simulators.get('sales')!.setMode('5xx');
  const response = await expectDocumented(availability, '/v1/queues/sales/availability', 200, withKey);
  expect(response.json).toMatchObject({ canTransfer: false, reason: 'vendor_error', availableAgents: null, vendorError: 'server' });
  gate.simulators.get('sales')!.setMode('ok');
});

it('text and count formats', async () => {
  await expectDocumented(availability, '/v1/queues/support/availability?format=text', 200, withKey);
  await expectDocumented(availability, '/v1/queues/support/availability?format=count', 200, withKey);
});

it('400, 401 and 404 answers', async () => {
  expect((await expectDocumented(availability, '/v1/queues/support/availability?format=xml', 400, withKey)).json.error).toBe('invalid_request');
  expect((await expectDocumented(availability, '/v1/queues/support/availability', 401)).json.error).toBe('unauthorized');
  expect((await expectDocumented(availability, '/v1/queues/nope/availability', 404, withKey)).json.error).toBe('queue_not_found');
});

it('closed (hours and overrides): reason closed, closedBy, opensAt, availableAgents null', async () => {
  const response = await expectDocumented(availability, '/v1/queues/closed-q/availability', 200, withKey);
  expect(response.json).toMatchObject({ canTransfer: false, reason: 'closed', availableAgents: null, closedBy: 'schedule', opensAt: null });
});

/** A PUT with a JSON body: the body fits the documented request schema, the answer its response schema. */
async function expectDocumentedPut(pathAndQuery: string, status: number, headers: Record<string, string>, body: unknown) {
  const resource = '/v1/queues/{id}/override';
  const requestSchema = document.paths[resource].put.requestBody.content['application/json'].schema;
  const validRequest = ajv.compile({ ...requestSchema, components: document.components });
  expect(validRequest(body)).toBe(true);
  const response = await fetch(`${gate.url}${pathAndQuery}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(status);
  const json = (await response.json()) as Record<string, unknown>;
  const validate = ajv.compile(schemaFor(resource, status, 'application/json', 'put'));
  expect({ json, errors: validate(json) ? null : validate.errors }).toEqual({ json, errors: null });
  return json;
}

it('the override routes: 200 with the override, 403 forbidden for a caller without admin', async () => {
  const override = { state: 'closed', until: new Date(Date.now() + 60_000).toISOString(), note: 'drill' };
  expect(await expectDocumentedPut('/v1/queues/support/override', 200, { 'x-api-key': adminKey }, override)).toMatchObject({ queue: 'support', setBy: 'ops' });
  expect((await expectDocumentedPut('/v1/queues/support/override', 403, withKey, override)).error).toBe('forbidden');
  const closed = await expectDocumented(availability, '/v1/queues/support/availability', 200, withKey);
  expect(closed.json).toMatchObject({ reason: 'closed', closedBy: 'override', opensAt: override.until });
  await fetch(`${gate.url}/v1/queues/support/override`, { method: 'DELETE', headers: { 'x-api-key': adminKey } });
});

it('health and the document itself, without a key', async () => {
  await expectDocumented('/v1/health', '/v1/health', 200);
  const served = await expectDocumented('/v1/openapi.json', '/v1/openapi.json', 200);
  expect(served.json).toEqual(document);
});

it('a schema that does not fit the answer fails (the check can fail)', () => {
  const validate = ajv.compile(schemaFor(availability, 200, 'application/json'));
  expect(validate({ queue: 'q', canTransfer: 'yes' })).toBe(false);
  expect(
    validate({
      queue: 'q',
      canTransfer: true,
      reason: 'agents_available',
      availableAgents: 1,
      minAvailable: 1,
      vendor: 'x',
      source: 'live',
      checkedAt: 'now',
      ageMs: 0,
      surprise: 1,
    }),
  ).toBe(false);
});

it('holds: a "yes" with its hold, and the release route\'s 204 (no content) and 404', async () => {
  gate.simulators.get('held')!.setAgents({ available: 3, busy: 1 });
  const held = await expectDocumented(availability, '/v1/queues/held/availability?callerId=%2B15550001', 200, withKey);
  expect(held.json).toMatchObject({ heldAgents: 0, hold: { callerId: '+15550001' } });
  const responses = document.paths['/v1/queues/{id}/holds/{callerId}'].delete.responses;
  expect(responses['204']).not.toHaveProperty('content');
  const release = (callerId: string) => fetch(`${gate.url}/v1/queues/held/holds/${callerId}`, { method: 'DELETE', headers: withKey });
  const released = await release('%2B15550001');
  expect({ status: released.status, body: await released.text(), cacheControl: released.headers.get('cache-control') }).toEqual({
    status: 204,
    body: '',
    cacheControl: 'no-store',
  });
  const missing = await release('%2B15550001');
  expect(missing.status).toBe(404);
  const validate = ajv.compile({ ...responses['404'].content['application/json'].schema, components: document.components });
  const body = await missing.json();
  expect({ body, valid: validate(body) }).toEqual({ body: { error: 'hold_not_found', message: expect.any(String) }, valid: true });
});

describe('GET /v1/status (docs/on-call/console.md)', () => {
  const vendorCalls = () => [...gate.simulators.values()].reduce((sum, simulator) => sum + simulator.calls(), 0);

  it('answers admins every queue from the store, as documented, with no vendor call', async () => {
    gate.simulators.get('held')!.setAgents({ available: 3, busy: 1 });
    gate.simulators.get('sales')!.setMode('5xx');
    await gate.get('/v1/queues/held/availability?callerId=%2B15550077', withKey);
    await gate.get('/v1/queues/sales/availability', withKey);
    gate.simulators.get('sales')!.setMode('ok');
    const before = vendorCalls();
    const status = await expectDocumented('/v1/status', '/v1/status', 200, { 'x-api-key': adminKey });
    expect(vendorCalls()).toBe(before);
    expect(status.json.queues.map((queue: { queue: string }) => queue.queue)).toEqual(['closed-q', 'support', 'sales', 'held']);
    const byId = Object.fromEntries(status.json.queues.map((queue: { queue: string }) => [queue.queue, queue]));
    expect(byId['closed-q']).toMatchObject({ open: false, closedBy: 'schedule', answer: { canTransfer: false, reason: 'closed' } });
    expect(byId['sales']).toMatchObject({
      open: true,
      failure: { vendorError: 'server', streak: expect.any(Number) },
      answer: { canTransfer: false, reason: 'vendor_error' },
    });
    expect(byId['held']).toMatchObject({
      reading: { availableAgents: 3 },
      holds: { count: 1, bySeller: { ivr: 1 }, list: [{ queue: 'held', seller: 'ivr', callerId: '+15550077' }] },
    });
    expect(status.json.sellers).toEqual([
      { seller: 'ivr', holdsStanding: 1, transfersThisHour: null, transfersToday: null },
      { seller: 'ops', holdsStanding: 0, transfersThisHour: null, transfersToday: null },
    ]);
  });

  it('401 without a key, 403 forbidden for a caller that is not an admin', async () => {
    expect((await expectDocumented('/v1/status', '/v1/status', 401)).json.error).toBe('unauthorized');
    expect((await expectDocumented('/v1/status', '/v1/status', 403, withKey)).json.error).toBe('forbidden');
  });
});
