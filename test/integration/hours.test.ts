/**
 * Hours and overrides (docs/operators/hours-and-overrides.md) through the real local server on loopback: a
 * closed queue calls no vendor; the override routes (403, 400, PUT/GET/DELETE); a bad schedule
 * stops the gate with every problem and its path.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { callerEntry, freePorts, startTestGate, type TestGate } from '../support/local-gate';

const adminKey = 'hours-admin-key-0123456789abcdef';
const leadKey = 'hours-lead-key-0123456789abcdef';
const allDay = [['00:00', '24:00']];
let gate: TestGate;

beforeAll(async () => {
  const [closed, open] = await freePorts(2);
  const at = (port: number | undefined) => `http://127.0.0.1:${port}`;
  gate = await startTestGate({
    config: {
      defaults: { cacheTtlMs: 60_000 },
      // Fixed answers whatever the wall clock: never open, and always open.
      schedules: {
        never: { timeZone: 'UTC', weekly: {} },
        always: { timeZone: 'Europe/Berlin', weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay } },
      },
      queues: [
        { id: 'closed-q', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: at(closed), schedule: 'never' },
        { id: 'open-q', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: at(open), schedule: 'always' },
      ],
    },
    secrets: {
      'transfer-gate/callers': { callers: [{ ...callerEntry('ops', adminKey, ['*']), admin: true }, callerEntry('acme-leads', leadKey, ['open-q'])] },
      'tg/aloware': { apiToken: 'aloware-token' },
    },
  });
});
afterAll(() => gate?.close());

async function send(method: string, pathAndQuery: string, key: string, body?: string) {
  const response = await fetch(`${gate.url}${pathAndQuery}`, {
    method,
    headers: { 'x-api-key': key, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body }),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
}

describe('a closed queue', () => {
  it('answers closed in every format without calling its vendor', async () => {
    const simulator = gate.simulators.get('closed-q')!;
    const before = simulator.calls();
    const json = await gate.get('/v1/queues/closed-q/availability', { 'x-api-key': adminKey });
    expect(json.status).toBe(200);
    expect(json.json).toMatchObject({
      queue: 'closed-q',
      canTransfer: false,
      reason: 'closed',
      availableAgents: null,
      closedBy: 'schedule',
      opensAt: null,
      source: 'cache',
      ageMs: 0,
    });
    expect((await gate.get('/v1/queues/closed-q/availability?format=text', { 'x-api-key': adminKey })).text).toBe('false');
    expect((await gate.get('/v1/queues/closed-q/availability?format=count', { 'x-api-key': adminKey })).text).toBe('0');
    expect(simulator.calls()).toBe(before);
  });

  it('an open scheduled queue is asked as usual and answers closesAt (null: open around the clock)', async () => {
    const response = await gate.get('/v1/queues/open-q/availability', { 'x-api-key': leadKey });
    expect(response.json).toMatchObject({ reason: 'agents_available', closesAt: null });
    expect(gate.simulators.get('open-q')!.calls()).toBeGreaterThan(0);
  });
});

describe('override routes', () => {
  it('PUT, GET, DELETE round trip: closed by override with no vendor call, then open again', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const put = await send('PUT', '/v1/queues/open-q/override', adminKey, JSON.stringify({ state: 'closed', until, note: 'storm' }));
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ queue: 'open-q', state: 'closed', until, note: 'storm', setBy: 'ops', setAt: expect.any(String) });
    expect((await send('GET', '/v1/queues/open-q/override', adminKey)).json).toEqual(put.json);
    const simulator = gate.simulators.get('open-q')!;
    const before = simulator.calls();
    const closed = await gate.get('/v1/queues/open-q/availability', { 'x-api-key': leadKey });
    expect(closed.json).toMatchObject({ canTransfer: false, reason: 'closed', closedBy: 'override', opensAt: until, availableAgents: null });
    expect(simulator.calls()).toBe(before);

    const deleted = await send('DELETE', '/v1/queues/open-q/override', adminKey);
    expect([deleted.status, deleted.text]).toEqual([204, '']);
    expect((await send('GET', '/v1/queues/open-q/override', adminKey)).json).toMatchObject({ error: 'override_not_found' });
    expect((await gate.get('/v1/queues/open-q/availability', { 'x-api-key': leadKey })).json).toMatchObject({ reason: 'agents_available' });
  });

  it('an open override opens a queue its schedule closes; agents are checked', async () => {
    const simulator = gate.simulators.get('closed-q')!;
    const before = simulator.calls();
    expect((await send('PUT', '/v1/queues/closed-q/override', adminKey, '{"state":"open"}')).status).toBe(200);
    expect((await gate.get('/v1/queues/closed-q/availability', { 'x-api-key': adminKey })).json).toMatchObject({ reason: 'agents_available', closesAt: null });
    expect(simulator.calls()).toBe(before + 1);
    expect((await send('DELETE', '/v1/queues/closed-q/override', adminKey)).status).toBe(204);
  });

  it('403 forbidden for a caller without admin; 404 for a queue it may not see', async () => {
    expect((await send('PUT', '/v1/queues/open-q/override', leadKey, '{"state":"closed"}')).json).toEqual({
      error: 'forbidden',
      message: expect.stringContaining('"admin": true'),
    });
    expect((await send('GET', '/v1/queues/open-q/override', leadKey)).status).toBe(403);
    expect((await send('DELETE', '/v1/queues/open-q/override', leadKey)).status).toBe(403);
    expect((await send('PUT', '/v1/queues/closed-q/override', leadKey, '{"state":"closed"}')).json.error).toBe('queue_not_found');
  });

  it.each([
    ['malformed JSON', '{"state":', 'not valid JSON'],
    ['an unknown state', '{"state":"paused"}', 'state must be "closed" or "open"'],
    ['an unknown key', '{"state":"closed","reason":"x"}', 'reason'],
    ['an until in the past', '{"state":"closed","until":"2020-01-01T00:00:00Z"}', 'until must be in the future'],
    ['an until that is no instant', '{"state":"closed","until":"soon"}', 'ISO-8601'],
  ])('400 invalid_request for %s', async (_name, body, message) => {
    const answer = await send('PUT', '/v1/queues/open-q/override', adminKey, body);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: 'invalid_request', message: expect.stringContaining(message) });
  });
});

describe('a bad schedule', () => {
  const badConfig = {
    schedules: { 'us-east': { timeZone: 'America/New_york', weekly: { monday: [['09:00', '17:00']], tue: [['9:00', '17:00']] } } },
    queues: [{ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, schedule: 'emea' }],
  };
  const problems = [
    'schedules.us-east.timeZone: unknown time zone "America/New_york" (did you mean "America/New_York"?)',
    'schedules.us-east.weekly: unknown day "monday"',
    'schedules.us-east.weekly.tue[0][0]: must be a start time HH:MM',
    'queues[0].schedule: unknown schedule "emea" (known: "us-east")',
  ];

  it('stops the local gate with every problem and its path', async () => {
    const secrets = { 'transfer-gate/callers': { callers: [] }, 'tg/aloware': { apiToken: 't' } };
    const failed = startTestGate({ config: badConfig, secrets });
    await expect(failed).rejects.toThrow('gate.config.json is invalid');
    const message = await failed.catch((error: Error) => error.message);
    for (const problem of problems) expect(message).toContain(problem);
  });

  it('npm start exits 1 and prints every problem and its path', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'transfer-gate-hours-'));
    try {
      writeFileSync(path.join(dir, 'config.json'), JSON.stringify(badConfig));
      writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ 'transfer-gate/callers': { callers: [] } }));
      const args = [
        '--import',
        'tsx',
        'local/start.ts',
        '--config',
        path.join(dir, 'config.json'),
        '--secrets',
        path.join(dir, 'secrets.json'),
        '--port',
        '0',
        '--state',
        'memory',
        '--no-simulators',
      ];
      const child = spawn(process.execPath, args, { cwd: path.join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += String(chunk)));
      child.stderr.on('data', (chunk) => (output += String(chunk)));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      for (const problem of problems) expect(output).toContain(problem);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
