// Must stay the first import: turns log lines on before shared/logger loads.
import '../../support/verbose-logs';
/**
 * docs/operators/limits.md through the HTTP handler and the Connect edge: pingsPerMinute (429
 * with Retry-After), the callerId a limit needs (400), state / X-Caller-State (one value, a USPS
 * code), callerId forms in E.164, a release freeing the seller's maxHolds slot, the flat map's
 * limit and callerState, and the decision line. No other seller's data in any answer.
 */
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

const acmeKey = 'SENTINEL-ACME-KEY-limits-1';
const otherKey = 'SENTINEL-OTHER-KEY-limits-2';
const adminKey = 'SENTINEL-ADMIN-KEY-limits-3';

const config = parseGateConfig({
  defaults: { holdMs: 30_000 },
  queues: [
    { id: 'sales', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
    { id: 'capped', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2, limits: { transfersPerHour: 1 } },
    { id: 'az', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 3, holdMs: 0, geo: { states: ['AZ'] } },
    { id: 'plain', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 4, holdMs: 0 },
  ],
});
const secrets = {
  'transfer-gate/callers': {
    callers: [
      { name: 'acme-leads', keySha256: hashKey(acmeKey), queues: ['*'], limits: { maxHolds: 1, pingsPerMinute: 3 } },
      { name: 'other', keySha256: hashKey(otherKey), queues: ['*'] },
      { name: 'ops', keySha256: hashKey(adminKey), queues: ['*'], admin: true },
    ],
  },
  'tg/aloware': { apiToken: 'SENTINEL-VENDOR-TOKEN' },
};

function setup() {
  const clock = manualClock(Date.parse('2026-11-22T10:00:20.000Z'));
  const fetch = fakeFetch(() => jsonReply({ available_users_count: 5, total_users_count: 5 }));
  const runtime = createRuntime({ config, secretSource: fakeSecretSource(secrets), fetch, now: clock.now, store: new MemoryStore() });
  const http = createHttpHandler(() => runtime);
  const connect = createConnectHandler(() => runtime);
  const call = async (event: APIGatewayProxyEvent) => {
    const result = (await http(event, lambdaContext())) as APIGatewayProxyResult;
    return { status: result.statusCode, json: result.body ? JSON.parse(result.body) : undefined, headers: result.headers ?? {} };
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
  return { clock, ask, call, release, connect: (parameters: Record<string, string>) => connect(contactFlowEvent(parameters), lambdaContext()) };
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe('pingsPerMinute', () => {
  test('beyond it: 429 rate_limited with Retry-After to the next minute; another seller is not counted with it; the next minute has room', async () => {
    const { ask, clock } = setup();
    for (let index = 0; index < 3; index += 1) expect((await ask('plain', acmeKey)).status).toBe(200);
    const refused = await ask('plain', acmeKey);
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ error: 'rate_limited', message: expect.stringContaining('3 requests a minute') });
    expect(refused.headers['Retry-After']).toBe('40');
    expect((await ask('plain', otherKey)).status).toBe(200);
    clock.advance(40_000);
    expect((await ask('plain', acmeKey)).status).toBe(200);
  });

  test('a 400 or a 404 is not counted', async () => {
    const { ask } = setup();
    expect((await ask('plain', acmeKey, { format: 'xml' })).status).toBe(400);
    expect((await ask('nope', acmeKey)).status).toBe(404);
    expect((await ask('plain', acmeKey, { state: 'Texas' })).status).toBe(400);
    for (let index = 0; index < 3; index += 1) expect((await ask('plain', acmeKey)).status).toBe(200);
  });
});

describe('the callerId a limit needs', () => {
  test('400 on a queue with limits, and for a seller with transfer limits on a queue with holds; fine elsewhere', async () => {
    const { ask } = setup();
    expect(await ask('capped', otherKey)).toMatchObject({ status: 400, json: { error: 'invalid_request', message: expect.stringContaining('callerId') } });
    expect(await ask('sales', acmeKey)).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    expect((await ask('sales', otherKey)).status).toBe(200);
    expect((await ask('plain', acmeKey)).status).toBe(200);
  });
});

describe('state', () => {
  test('query or X-Caller-State, any case; a non-USPS value or two different values are a 400', async () => {
    const { ask } = setup();
    expect((await ask('az', otherKey, { state: 'az' })).json).toMatchObject({ canTransfer: true, callerState: 'AZ' });
    expect((await ask('az', otherKey, {}, { 'X-Caller-State': 'tx' })).json).toMatchObject({ reason: 'outside_area', callerState: 'TX' });
    expect((await ask('az', otherKey, { state: 'AZ' }, { 'X-Caller-State': 'az' })).status).toBe(200);
    expect(await ask('az', otherKey, { state: 'AZ' }, { 'X-Caller-State': 'TX' })).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    expect(await ask('az', otherKey, {}, { 'X-Caller-State': 'Arizona' })).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    expect((await ask('az', otherKey, { callerId: '6025550123' })).json).toMatchObject({ canTransfer: true, callerState: 'AZ' });
  });
});

describe('callerId forms', () => {
  test('+1 and ten digits, 1 and ten digits, and ten digits hold as one call; the release takes any form and frees the maxHolds slot', async () => {
    const { ask, release } = setup();
    const first = await ask('sales', acmeKey, { callerId: '2015550123' });
    expect(first.json).toMatchObject({ canTransfer: true, hold: { callerId: '+12015550123' } });
    expect((await ask('sales', acmeKey, { callerId: '12015550123' })).json.hold).toEqual(first.json.hold);
    expect((await ask('sales', acmeKey, { callerId: '+12015550124' })).json).toMatchObject({
      reason: 'caller_limit',
      limit: 'maxHolds',
      retryAt: first.json.hold.expiresAt,
    });
    expect((await release('sales', '12015550123', acmeKey)).status).toBe(204);
  });
});

describe("an admin's release (docs/on-call/console.md)", () => {
  test("frees the seller's maxHolds slot like the seller's own release", async () => {
    const { ask, release } = setup();
    expect((await ask('sales', acmeKey, { callerId: '+12015550123' })).json).toMatchObject({ canTransfer: true });
    expect((await ask('sales', acmeKey, { callerId: '+12015550124' })).json).toMatchObject({ reason: 'caller_limit', limit: 'maxHolds' });
    expect((await release('sales', '2015550123', adminKey)).status).toBe(204);
    expect((await ask('sales', acmeKey, { callerId: '+12015550124' })).json).toMatchObject({ canTransfer: true });
  });
});

describe('refusals in the decision line and the Connect flat map', () => {
  test('the decision line names seller, queue, reason and limit; the answer names no other seller', async () => {
    const { ask, release } = setup();
    await ask('sales', acmeKey, { callerId: '+12015550123' });
    const refused = await ask('sales', acmeKey, { callerId: '+12015550124' });
    expect(JSON.stringify(refused.json)).not.toMatch(/other|SENTINEL|2015550123/);
    const lines = logs
      .text()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.message === 'availability').at(-1)).toMatchObject({
      caller: 'acme-leads',
      seller: 'acme-leads',
      queue: 'sales',
      canTransfer: false,
      reason: 'caller_limit',
      limit: 'maxHolds',
      retryAt: refused.json.retryAt,
    });
    await release('sales', '+12015550123', acmeKey);
  });

  test('every refusal names seller, queue, reason and limit (none when no limit refused it), a refused ping included; a yes has no limit', async () => {
    const { ask } = setup();
    expect((await ask('az', acmeKey, { state: 'TX' })).json).toMatchObject({ reason: 'outside_area' });
    expect((await ask('plain', acmeKey)).json).toMatchObject({ canTransfer: true });
    expect((await ask('plain', acmeKey)).json).toMatchObject({ canTransfer: true });
    expect((await ask('plain', acmeKey)).status).toBe(429);
    const decisions = logs
      .text()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.message === 'availability');
    expect(decisions.map(({ seller, queue, canTransfer, reason, limit }) => ({ seller, queue, canTransfer, reason, limit }))).toEqual([
      { seller: 'acme-leads', queue: 'az', canTransfer: false, reason: 'outside_area', limit: 'none' },
      { seller: 'acme-leads', queue: 'plain', canTransfer: true, reason: 'agents_available', limit: undefined },
      { seller: 'acme-leads', queue: 'plain', canTransfer: true, reason: 'agents_available', limit: undefined },
      { seller: 'acme-leads', queue: 'plain', canTransfer: false, reason: 'rate_limited', limit: 'pingsPerMinute' },
    ]);
    expect(decisions.at(-1)).toMatchObject({ retryAt: '2026-11-22T10:01:00.000Z' });
  });

  test('Connect passes state; the flat map has limit and callerState, always present', async () => {
    const { connect } = setup();
    expect(await connect({ queue: 'az', state: 'tx' })).toMatchObject({ reason: 'outside_area', callerState: 'TX', limit: '' });
    expect(await connect({ queue: 'az', callerId: '+16025550123' })).toMatchObject({ canTransfer: 'true', callerState: 'AZ', limit: '' });
    expect(await connect({ queue: 'plain' })).toMatchObject({ callerState: '', limit: '' });
    expect(await connect({ queue: 'az', state: 'Arizona' })).toMatchObject({ reason: 'invalid_request', callerState: '' });
    expect(await connect({ queue: 'capped' })).toMatchObject({ reason: 'invalid_request', message: expect.stringContaining('callerId') });
  });
});
