// Must stay the first import: turns log lines on before shared/logger loads.
import '../../support/verbose-logs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../../../functions/http/handler';
import { hashKey } from '../../../shared/callers';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { createRuntime } from '../../../shared/runtime';
import { availabilityEvent, lambdaContext, proxyEvent } from '../../support/api-gateway-event';
import { manualClock } from '../../support/clock';
import { fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';
import { fixtureJson } from '../../support/fixtures';
import { captureLogs } from '../../support/logs';

const adminKey = 'SENTINEL-ADMIN-KEY-1a2b';
const leadKey = 'SENTINEL-LEAD-KEY-3c4d';
const salesAdminKey = 'SENTINEL-SALES-ADMIN-5e6f';
const config = parseGateConfig({
  queues: [
    { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
    { id: 'sales', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2 },
  ],
});
const secrets = {
  'transfer-gate/callers': {
    callers: [
      { name: 'ops', keySha256: hashKey(adminKey), queues: ['*'], admin: true },
      { name: 'acme-leads', keySha256: hashKey(leadKey), queues: ['support'] },
      { name: 'sales-ops', keySha256: hashKey(salesAdminKey), queues: ['sales'], admin: true },
    ],
  },
  'tg/aloware': { apiToken: 'SENTINEL-ALOWARE' },
};

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  for (const secret of [adminKey, leadKey, salesAdminKey, 'SENTINEL-ALOWARE']) expect(logs.text()).not.toContain(secret);
});

function logLine(message: string): Record<string, unknown> | undefined {
  const lines = logs
    .text()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  return lines.find((line) => line.message === message);
}

function setup() {
  const clock = manualClock();
  const fetch = fakeFetch(() => jsonReply(fixtureJson('aloware/availability-200.json')));
  const runtime = createRuntime({ config, secretSource: fakeSecretSource(secrets), fetch, now: clock.now });
  const handler = createHttpHandler(() => runtime);
  const call = async (method: string, key: string, queue = 'support', body?: unknown) => {
    const event = proxyEvent('/v1/queues/{id}/override', `/v1/queues/${queue}/override`, { id: queue }, { method, headers: { 'x-api-key': key } });
    if (body !== undefined) event.body = typeof body === 'string' ? body : JSON.stringify(body);
    const result = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
    return { status: result.statusCode, json: result.body ? JSON.parse(result.body) : undefined, headers: result.headers };
  };
  const ask = async (format?: string) => {
    const result = (await handler(
      availabilityEvent('support', { headers: { 'x-api-key': leadKey }, ...(format && { query: { format } }) }),
      lambdaContext(),
    )) as APIGatewayProxyResult;
    return result.body;
  };
  return { clock, fetch, call, ask };
}

describe('override routes', () => {
  it('PUT, GET, DELETE round trip; a closed override closes the queue without a vendor call; each change logged with the admin name', async () => {
    const { call, ask, fetch, clock } = setup();
    const put = await call('PUT', adminKey, 'support', { state: 'closed', until: '2026-11-22T12:00:00Z', note: 'fire drill' });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({
      queue: 'support',
      state: 'closed',
      until: '2026-11-22T12:00:00.000Z',
      note: 'fire drill',
      setBy: 'ops',
      setAt: new Date(clock.now()).toISOString(),
    });
    expect(put.headers?.['Cache-Control']).toBe('no-store');
    expect((await call('GET', adminKey)).json).toEqual(put.json);
    expect(JSON.parse(await ask())).toMatchObject({
      canTransfer: false,
      reason: 'closed',
      availableAgents: null,
      closedBy: 'override',
      opensAt: '2026-11-22T12:00:00.000Z',
    });
    expect(await ask('text')).toBe('false');
    expect(await ask('count')).toBe('0');
    expect(fetch.calls).toHaveLength(0);
    expect(logLine('override set')).toMatchObject({ queue: 'support', caller: 'ops', state: 'closed', until: '2026-11-22T12:00:00.000Z', noteLength: 10 });
    expect(logs.text()).not.toContain('fire drill');

    const deleted = await call('DELETE', adminKey);
    expect(deleted.status).toBe(204);
    expect(logLine('override deleted')).toMatchObject({ queue: 'support', caller: 'ops', state: 'closed' });
    expect(JSON.parse(await ask())).toMatchObject({ reason: 'agents_available' });
    expect((await call('GET', adminKey)).json).toEqual({ error: 'override_not_found', message: 'queue "support" has no override in force' });
    expect((await call('DELETE', adminKey)).status).toBe(404);
  });

  it('an override without until or note answers them as null; an expired one is not found', async () => {
    const { call, clock } = setup();
    expect((await call('PUT', adminKey, 'support', { state: 'open' })).json).toMatchObject({ state: 'open', until: null, note: null });
    await call('PUT', adminKey, 'support', { state: 'closed', until: new Date(clock.now() + 1000).toISOString() });
    clock.advance(1000);
    expect((await call('GET', adminKey)).status).toBe(404);
  });

  it('403 forbidden for a caller that may see the queue but is no admin; 404 for one that may not see it', async () => {
    const { call } = setup();
    for (const method of ['PUT', 'GET', 'DELETE']) {
      const answer = await call(method, leadKey, 'support', method === 'PUT' ? { state: 'closed' } : undefined);
      expect([method, answer.status, answer.json.error]).toEqual([method, 403, 'forbidden']);
      const hidden = await call(method, leadKey, 'sales', method === 'PUT' ? { state: 'closed' } : undefined);
      expect([method, hidden.status, hidden.json.error]).toEqual([method, 404, 'queue_not_found']);
    }
    // An admin of other queues: the queue it may not see is not found either.
    expect((await call('PUT', salesAdminKey, 'support', { state: 'closed' })).status).toBe(404);
    expect((await call('PUT', adminKey, 'nope', { state: 'closed' })).json.error).toBe('queue_not_found');
    expect((await call('PUT', 'wrong-key', 'support', { state: 'closed' })).status).toBe(401);
  });

  it.each([
    ['no body', undefined, 'send a JSON body'],
    ['not JSON', '{state:', 'the body is not valid JSON'],
    ['an unknown state', { state: 'shut' }, 'state: state must be "closed" or "open"'],
    ['no state', {}, 'state: state must be "closed" or "open"'],
    ['an unknown key', { state: 'closed', untill: '2027-01-01T00:00:00Z' }, 'untill'],
    ['an until that is no instant', { state: 'closed', until: 'tomorrow' }, 'until: until must be an ISO-8601 instant'],
    ['an until without a time zone', { state: 'closed', until: '2026-11-23T10:00:00' }, 'until: until must be an ISO-8601 instant'],
    ['an until in the past', { state: 'closed', until: '2026-11-22T09:59:59Z' }, 'until must be in the future'],
    ['an until now', { state: 'closed', until: '2026-11-22T10:00:00Z' }, 'until must be in the future'],
    ['a note too long', { state: 'closed', note: 'x'.repeat(501) }, 'note: note must be at most 500 characters'],
    ['a JSON array', [], 'expected object'],
  ])('400 invalid_request for %s, saying what was wrong, and nothing stored', async (_name, body, message) => {
    const { call } = setup();
    const answer = await call('PUT', adminKey, 'support', body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_request');
    expect(answer.json.message).toContain(message);
    expect((await call('GET', adminKey)).status).toBe(404);
  });

  it('accepts an until with an offset and a note of 500 characters', async () => {
    const { call } = setup();
    const answer = await call('PUT', adminKey, 'support', { state: 'closed', until: '2026-11-22T06:30:00-05:00', note: 'x'.repeat(500) });
    expect(answer.status).toBe(200);
    expect(answer.json.until).toBe('2026-11-22T11:30:00.000Z');
  });
});
