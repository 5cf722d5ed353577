/**
 * The whole path through the real local server on loopback: API Gateway event → the exported
 * handler → Secrets Manager stand-in → vendor simulators → decision (docs/operators/callers-and-keys.md, docs/callers/http-api.md and docs/operators/running-locally.md).
 */
import { request as httpRequest } from 'node:http';
import { callerEntry, freePorts, startTestGate, type TestGate } from '../support/local-gate';

const ivrKey = 'ivr-key-0123456789abcdef';
const acmeKey = 'acme-key-0123456789abcdef';
let gate: TestGate;

beforeAll(async () => {
  const [support, sales, cold, failing, stale] = await freePorts(5);
  const at = (port: number | undefined) => `http://127.0.0.1:${port}`;
  gate = await startTestGate({
    config: {
      defaults: { cacheTtlMs: 60_000 },
      queues: [
        { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: at(support) },
        { id: 'sales', vendor: 'calltools', secret: 'tg/calltools', baseUrl: at(sales), queueId: 5457, availableStatusId: '20561', minAvailable: 4 },
        { id: 'cold', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: '1', baseUrl: at(cold) },
        { id: 'deny-q', vendor: 'calltools', secret: 'tg/calltools', baseUrl: at(failing), queueId: 5457, cacheTtlMs: 0 },
        { id: 'allow-q', vendor: 'calltools', secret: 'tg/calltools', baseUrl: at(failing), queueId: 5457, cacheTtlMs: 0, onVendorError: 'allow' },
        { id: 'slow-q', vendor: 'calltools', secret: 'tg/calltools', baseUrl: at(failing), queueId: 5457, cacheTtlMs: 0, timeoutMs: 300 },
        { id: 'stale-q', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: at(stale), cacheTtlMs: 0, maxStaleMs: 60_000 },
        { id: 'short-stale', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: at(stale), cacheTtlMs: 0, maxStaleMs: 150 },
      ],
    },
    secrets: {
      'transfer-gate/callers': { callers: [callerEntry('ivr', ivrKey, ['*']), callerEntry('acme-leads', acmeKey, ['sales'])] },
      'tg/aloware': { apiToken: 'aloware-token' },
      'tg/calltools': { apiKey: 'calltools-key' },
    },
  });
});
afterAll(() => gate?.close());
afterEach(() => {
  for (const simulator of gate.simulators.values()) simulator.setMode('ok');
});

const withKey = { 'x-api-key': ivrKey };

describe('callers', () => {
  it('answers health without a key and without calling a vendor', async () => {
    const response = await gate.get('/v1/health');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'ok' });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    ['no key', {}],
    ['a wrong key', { 'x-api-key': 'not-a-key' }],
    ['a wrong Bearer', { authorization: 'Bearer not-a-key' }],
  ])('answers 401 for %s', async (_name, headers) => {
    const response = await gate.get('/v1/queues/support/availability', headers);
    expect(response.status).toBe(401);
    expect(response.json).toEqual({ error: 'unauthorized', message: expect.any(String) });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    ['x-api-key', '', { 'x-api-key': ivrKey }],
    ['Bearer', '', { authorization: `Bearer ${ivrKey}` }],
    ['Basic', '', { authorization: `Basic ${Buffer.from(`anyone:${ivrKey}`).toString('base64')}` }],
    ['query', `?api_key=${ivrKey}`, {}],
  ])('accepts the key as %s', async (_name, query, headers) => {
    const response = await gate.get(`/v1/queues/support/availability${query}`, headers as Record<string, string>);
    expect(response.status).toBe(200);
    expect(response.json.queue).toBe('support');
  });

  it('accepts https://x:KEY@host style URLs (Basic from URL credentials)', async () => {
    const url = new URL(`${gate.url}/v1/queues/support/availability?format=text`);
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, auth: `x:${ivrKey}` }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      })
        .on('error', reject)
        .end();
    });
    expect(body).toEqual({ status: 200, text: 'true' });
  });

  it('answers 404 alike for an unknown queue and for a queue the caller may not see', async () => {
    const unknown = await gate.get('/v1/queues/nope/availability', { 'x-api-key': acmeKey });
    const notAllowed = await gate.get('/v1/queues/support/availability', { 'x-api-key': acmeKey });
    expect(unknown.status).toBe(404);
    expect(notAllowed.status).toBe(404);
    expect(unknown.json.error).toBe('queue_not_found');
    expect(notAllowed.json.error).toBe('queue_not_found');
    expect((await gate.get('/v1/queues/sales/availability', { 'x-api-key': acmeKey })).status).toBe(200);
  });
});

describe('requests and formats', () => {
  it.each([
    ['a malformed queue id', '/v1/queues/Not_Valid!/availability'],
    ['an unknown format', '/v1/queues/support/availability?format=xml'],
  ])('answers 400 invalid_request for %s', async (_name, path) => {
    const response = await gate.get(path, withKey);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 'invalid_request', message: expect.stringMatching(/queue id|format/) });
  });

  it('answers JSON by default with the contract fields', async () => {
    const response = await gate.get('/v1/queues/support/availability?utm=ignored', withKey);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.json).toMatchObject({
      queue: 'support',
      canTransfer: true,
      reason: 'agents_available',
      availableAgents: 3,
      minAvailable: 1,
      vendor: 'aloware',
      totalAgents: 6,
    });
    expect(Date.parse(response.json.checkedAt)).not.toBeNaN();
    expect(response.json.ageMs).toBeGreaterThanOrEqual(0);
  });

  it('answers text and count, and picks text for Accept: text/plain', async () => {
    const text = await gate.get('/v1/queues/sales/availability?format=text', withKey);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text.text).toBe('false'); // 3 available, minAvailable 4
    expect((await gate.get('/v1/queues/sales/availability?format=count', withKey)).text).toBe('0');
    expect((await gate.get('/v1/queues/support/availability?format=count', withKey)).text).toBe('3');
    expect((await gate.get('/v1/queues/support/availability', { ...withKey, accept: 'text/plain' })).text).toBe('true');
  });

  it('answers a route the API does not have as the deployed API does', async () => {
    const response = await gate.get('/v1/queues', withKey);
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: 'not_found', message: expect.stringContaining('/v1/queues/{id}/availability') });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('cache and shared vendor calls', () => {
  it('serves the second answer from the cache with one vendor call', async () => {
    const simulator = gate.simulators.get('sales')!;
    simulator.resetCalls();
    const first = await gate.get('/v1/queues/sales/availability?format=json', { 'x-api-key': acmeKey });
    const second = await gate.get('/v1/queues/sales/availability', { 'x-api-key': acmeKey });
    expect(['live', 'cache']).toContain(first.json.source);
    expect(second.json.source).toBe('cache');
    expect(second.json.checkedAt).toBe(first.json.checkedAt);
    expect(simulator.calls()).toBeLessThanOrEqual(1);
  });

  it('makes one vendor call for 50 concurrent requests on a cold queue', async () => {
    const simulator = gate.simulators.get('cold')!;
    simulator.resetCalls();
    simulator.setMode('slow', { slowMs: 100 });
    const responses = await Promise.all(Array.from({ length: 50 }, () => gate.get('/v1/queues/cold/availability', withKey)));
    expect(responses.every((response) => response.status === 200 && response.json.canTransfer === true)).toBe(true);
    expect(simulator.calls()).toBe(1);
  });
});

describe('vendor failures', () => {
  it.each(['5xx', 'html', '401', '429', 'bad-json'] as const)('turns a vendor %s into vendor_error under deny and allow', async (mode) => {
    gate.simulators.get('deny-q')!.setMode(mode);
    const deny = await gate.get('/v1/queues/deny-q/availability', withKey);
    const allow = await gate.get('/v1/queues/allow-q/availability', withKey);
    expect(deny.status).toBe(200);
    expect(deny.json).toMatchObject({ canTransfer: false, reason: 'vendor_error', availableAgents: null, vendorError: expect.any(String) });
    expect(allow.json).toMatchObject({ canTransfer: true, reason: 'vendor_error', availableAgents: null });
    expect((await gate.get('/v1/queues/allow-q/availability?format=count', withKey)).text).toBe('1');
  });

  it('serves a stale answer within maxStaleMs, and vendor_error after it', async () => {
    const simulator = gate.simulators.get('stale-q')!;
    expect((await gate.get('/v1/queues/stale-q/availability', withKey)).json.source).toBe('live');
    expect((await gate.get('/v1/queues/short-stale/availability', withKey)).json.source).toBe('live');
    simulator.setMode('5xx');
    const stale = await gate.get('/v1/queues/stale-q/availability', withKey);
    expect(stale.json).toMatchObject({ source: 'stale', reason: 'agents_available', canTransfer: true, availableAgents: 3, vendorError: 'server' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const expired = await gate.get('/v1/queues/short-stale/availability', withKey);
    expect(expired.json).toMatchObject({ source: 'live', reason: 'vendor_error', canTransfer: false, vendorError: 'server' });
  });

  it('answers a slow vendor within timeoutMs plus a small margin', async () => {
    gate.simulators.get('slow-q')!.setMode('slow', { slowMs: 5000 });
    const started = Date.now();
    const response = await gate.get('/v1/queues/slow-q/availability', withKey);
    const elapsed = Date.now() - started;
    expect(response.json).toMatchObject({ reason: 'vendor_error', vendorError: 'timeout', canTransfer: false });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 700);
  });
});
