// Must stay the first import: turns log lines on before shared/logger loads.
import '../../support/verbose-logs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createConnectHandler } from '../../../functions/connect/handler';
import { createHttpHandler } from '../../../functions/http/handler';
import { hashKey } from '../../../shared/callers';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { createRuntime } from '../../../shared/runtime';
import { MemoryStore } from '../../../shared/state/memory-store';
import { availabilityEvent, lambdaContext, proxyEvent } from '../../support/api-gateway-event';
import { manualClock } from '../../support/clock';
import { fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';
import { captureLogs } from '../../support/logs';
import { contactFlowEvent } from '../../infra/support/contact-flow-event';

const acmeKey = 'SENTINEL-ACME-KEY-hold-1';
const ivrKey = 'SENTINEL-IVR-KEY-hold-2';
const vendorToken = 'SENTINEL-ALOWARE-TOKEN-hold-3';
const adminKey = 'SENTINEL-ADMIN-KEY-hold-4';

const config = parseGateConfig({
  defaults: { holdMs: 30_000 },
  queues: [
    { id: 'held', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
    { id: 'plain', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2, holdMs: 0 },
    { id: 'hidden', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 3 },
  ],
});
const secrets = {
  'transfer-gate/callers': {
    callers: [
      { name: 'acme-leads', keySha256: hashKey(acmeKey), queues: ['held', 'plain'] },
      { name: 'ivr', keySha256: hashKey(ivrKey), queues: ['*'] },
      { name: 'ops', keySha256: hashKey(adminKey), queues: ['held', 'plain'], admin: true },
    ],
  },
  'tg/aloware': { apiToken: vendorToken },
};

/** Every ring group has `agents.available` free agents; one store and one clock for the HTTP and Connect handlers. */
function setup(available = 1) {
  const agents = { available };
  const clock = manualClock();
  const fetch = fakeFetch(() => jsonReply({ available_users_count: agents.available, total_users_count: 5 }));
  const runtime = createRuntime({ config, secretSource: fakeSecretSource(secrets), fetch, now: clock.now, store: new MemoryStore() });
  const http = createHttpHandler(() => runtime);
  const connect = createConnectHandler(() => runtime);
  const call = async (event: APIGatewayProxyEvent) => {
    const result = (await http(event, lambdaContext())) as APIGatewayProxyResult;
    expect(result.headers?.['Cache-Control']).toBe('no-store');
    return { status: result.statusCode, body: result.body, json: result.body ? JSON.parse(result.body) : undefined, headers: result.headers };
  };
  const ask = (queue: string, key: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    call(availabilityEvent(queue, { headers: { 'x-api-key': key, ...headers }, query }));
  const release = (queue: string, callerId: string, key: string) =>
    call(
      proxyEvent(
        '/v1/queues/{id}/holds/{callerId}',
        `/v1/queues/${queue}/holds/${encodeURIComponent(callerId)}`,
        { id: queue, callerId },
        { method: 'DELETE', headers: { 'x-api-key': key } },
      ),
    );
  return { clock, agents, call, ask, release, connect: (parameters: Record<string, string>) => connect(contactFlowEvent(parameters), lambdaContext()) };
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  for (const secret of [acmeKey, ivrKey, vendorToken, adminKey]) expect(logs.text()).not.toContain(secret);
});

describe('callerId on GET /v1/queues/{id}/availability', () => {
  it('from the query: a "yes" places a hold and says so', async () => {
    const { ask, clock } = setup();
    const answer = await ask('held', acmeKey, { callerId: '+15551230001' });
    expect(answer.json).toMatchObject({
      canTransfer: true,
      heldAgents: 0,
      hold: { callerId: '+15551230001', expiresAt: new Date(clock.now() + 30_000).toISOString() },
    });
    expect((await ask('held', ivrKey, { callerId: '+15551230002' })).json).toMatchObject({ canTransfer: false, reason: 'not_enough_agents', heldAgents: 1 });
  });

  it('an unencoded + in the query (API Gateway decodes it to a space) is read as +', async () => {
    const { ask } = setup();
    const answer = await ask('held', acmeKey, { callerId: ' 15551230001' });
    expect(answer.json).toMatchObject({ canTransfer: true, hold: { callerId: '+15551230001' } });
  });

  it('from X-Caller-Id, the same as the query; both agreeing is fine', async () => {
    const { ask } = setup();
    const first = await ask('held', acmeKey, {}, { 'X-Caller-Id': '+15551230001' });
    expect(first.json.hold.callerId).toBe('+15551230001');
    const again = await ask('held', acmeKey, { callerId: '+15551230001' }, { 'x-caller-id': '+15551230001' });
    expect(again.json).toMatchObject({ canTransfer: true, hold: first.json.hold });
  });

  it.each([
    ['an empty query value', { callerId: '' }, {}, /callerId must be 1 to 64 characters/],
    ['a space in the query', { callerId: '+1 555' }, {}, /callerId must be 1 to 64 characters/],
    ['65 characters in the header', {}, { 'X-Caller-Id': '1'.repeat(65) }, /X-Caller-Id: callerId must be 1 to 64 characters of .* \(got 65\)/],
    ['a query and a header that differ', { callerId: '+1555' }, { 'X-Caller-Id': '+1556' }, /callerId and X-Caller-Id differ/],
  ])('400 invalid_request for %s, also on a queue without holds', async (_name, query, headers, message) => {
    const { ask } = setup();
    for (const queue of ['held', 'plain']) {
      const answer = await ask(queue, acmeKey, query, headers);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ error: 'invalid_request', message: expect.stringMatching(message) });
    }
  });

  it('is accepted and ignored on a queue without holds', async () => {
    const { ask } = setup();
    for (const callerId of ['+15551230001', '+15551230002']) {
      const answer = await ask('plain', acmeKey, { callerId });
      expect(answer.json).toMatchObject({ canTransfer: true, availableAgents: 1 });
      expect(answer.json).not.toHaveProperty('heldAgents');
    }
  });

  it('format=count answers free agents net of holds, and text and count requests place holds', async () => {
    const { ask } = setup(3);
    expect((await ask('held', acmeKey, { format: 'count', callerId: 'a1' })).body).toBe('3');
    expect((await ask('held', acmeKey, { format: 'text', callerId: 'a2' })).body).toBe('true');
    expect((await ask('held', acmeKey, { format: 'count' })).body).toBe('1');
    expect((await ask('held', acmeKey, { format: 'count', callerId: 'a3' })).body).toBe('1');
    expect((await ask('held', acmeKey, { format: 'count', callerId: 'a4' })).body).toBe('0');
    expect((await ask('held', acmeKey, { format: 'text', callerId: 'a5' })).body).toBe('false');
    // a1's own hold is not counted against a1.
    expect((await ask('held', acmeKey, { callerId: 'a1' })).json).toMatchObject({ canTransfer: true, heldAgents: 2, hold: { callerId: 'a1' } });
  });
});

describe('DELETE /v1/queues/{id}/holds/{callerId}', () => {
  it('204 with an empty body for the caller that placed it; the agent is free again', async () => {
    const { ask, release } = setup();
    await ask('held', acmeKey, { callerId: '+15551230001' });
    expect((await ask('held', ivrKey, { callerId: '+15551230002' })).json.canTransfer).toBe(false);
    const released = await release('held', '+15551230001', acmeKey);
    expect(released).toMatchObject({ status: 204, body: '' });
    expect((await ask('held', ivrKey, { callerId: '+15551230002' })).json).toMatchObject({ canTransfer: true, heldAgents: 0 });
  });

  it("404 hold_not_found for another caller's hold, a second release, or no hold at all", async () => {
    const { ask, release } = setup();
    await ask('held', acmeKey, { callerId: '+15551230001' });
    expect((await release('held', '+15551230001', ivrKey)).json).toEqual({ error: 'hold_not_found', message: expect.any(String) });
    expect((await release('held', '+15551230001', ivrKey)).status).toBe(404);
    expect((await release('held', '+15551230001', acmeKey)).status).toBe(204);
    expect((await release('held', '+15551230001', acmeKey)).json.error).toBe('hold_not_found');
    expect((await release('plain', '+15551230001', acmeKey)).json.error).toBe('hold_not_found');
  });

  it('an admin releases a hold whoever placed it, logged with releasedBy; others still release only their own', async () => {
    const { ask, release } = setup(2);
    await ask('held', acmeKey, { callerId: '+15551230001' });
    await ask('held', ivrKey, { callerId: '+15551230001' });
    expect((await release('held', '+15551230001', ivrKey)).status).toBe(204);
    expect((await release('held', '+15551230001', ivrKey)).status).toBe(404);
    expect((await release('held', '+15551230001', adminKey)).status).toBe(204);
    expect(logs.text()).toMatch(/"message":"hold released".*"caller":"acme-leads".*"releasedBy":"ops"/);
    // Both agents are free again: acme's hold is gone, so a new call by ivr is a "yes" with nothing held.
    expect((await ask('held', ivrKey, { callerId: '+15551230009' })).json).toMatchObject({ canTransfer: true, heldAgents: 0 });
    expect((await release('held', '+15551230001', adminKey)).json.error).toBe('hold_not_found');
    expect((await release('hidden', '+15551230001', adminKey)).json.error).toBe('queue_not_found');
  });

  it('404 queue_not_found for a queue the caller may not see, 400 for a malformed callerId, 401 without a key', async () => {
    const { release, call } = setup();
    expect((await release('hidden', '+1555', acmeKey)).json.error).toBe('queue_not_found');
    expect((await release('nope', '+1555', ivrKey)).json.error).toBe('queue_not_found');
    const malformed = await release('held', '+1 555', acmeKey);
    expect(malformed).toMatchObject({ status: 400, json: { error: 'invalid_request', message: expect.stringContaining('callerId must be') } });
    const anonymous = await call(
      proxyEvent('/v1/queues/{id}/holds/{callerId}', '/v1/queues/held/holds/x', { id: 'held', callerId: 'x' }, { method: 'DELETE' }),
    );
    expect(anonymous.status).toBe(401);
  });
});

describe('Amazon Connect with a callerId', () => {
  it('places a hold as amazon-connect and always answers heldAgents and holdExpiresAt', async () => {
    const { connect, ask, clock } = setup();
    const first = await connect({ queue: 'held', callerId: '+15551230009' });
    expect(first).toMatchObject({ canTransfer: 'true', heldAgents: '0', holdExpiresAt: new Date(clock.now() + 30_000).toISOString() });
    expect(await connect({ queue: 'held', callerId: '+15551230009' })).toMatchObject({ canTransfer: 'true', holdExpiresAt: first.holdExpiresAt });
    expect(await connect({ queue: 'held', callerId: '+15551230010' })).toMatchObject({ canTransfer: 'false', heldAgents: '1', holdExpiresAt: '' });
    // The same callerId from an HTTP caller is another caller's call.
    expect((await ask('held', acmeKey, { callerId: '+15551230009' })).json).toMatchObject({ canTransfer: false, heldAgents: 1 });
    const keys = Object.keys(first).sort();
    for (const answer of [await connect({ queue: 'plain' }), await connect({ queue: 'held', callerId: 'bad id' }), await connect({ queue: 'nope' })]) {
      expect(Object.keys(answer).sort()).toEqual(keys);
    }
  });

  it('a malformed callerId is invalid_request saying what to fix; an empty one counts as none', async () => {
    const { connect } = setup();
    expect(await connect({ queue: 'held', callerId: 'bad id' })).toMatchObject({
      canTransfer: 'false',
      reason: 'invalid_request',
      message: expect.stringContaining('callerId must be'),
    });
    expect(await connect({ queue: 'held', callerId: '' })).toMatchObject({ canTransfer: 'true', heldAgents: '0', holdExpiresAt: '' });
  });
});

describe('the local server and the CDK API derive the DELETE route from the table', () => {
  it('the local server matches DELETE and %-decodes the callerId, as API Gateway does', async () => {
    const { matchRoute } = await import('../../../local/api-gateway-event');
    expect(matchRoute('DELETE', '/v1/queues/held/holds/%2B15551230001')).toEqual({
      resource: '/v1/queues/{id}/holds/{callerId}',
      pathParameters: { id: 'held', callerId: '+15551230001' },
    });
    expect(matchRoute('GET', '/v1/queues/held/holds/%2B15551230001')).toBeUndefined();
  });
});
