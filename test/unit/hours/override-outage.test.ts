/**
 * Overrides when the table stumbles (docs/on-call/when-things-fail.md): every container keeps the
 * last override it read and applies it while the table cannot be read; writes answer 200/204
 * only once the table confirmed them, else 503 state_unavailable with Retry-After, and nobody
 * applies the change. Two runtimes (containers), each with its own resilient store, on one table.
 */
import '../../support/warn-logs';
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
import { flakyTable } from '../../support/flaky-table';

const adminKey = 'override-outage-admin-key-0123';
const config = parseGateConfig({
  queues: [
    { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
    { id: 'sales', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2 },
  ],
});
const secrets = {
  'transfer-gate/callers': { callers: [{ name: 'ops', keySha256: hashKey(adminKey), queues: ['*'], admin: true }] },
  'tg/aloware': { apiToken: 'token' },
};
const hour = 3_600_000;

function setup() {
  const clock = manualClock();
  const table = flakyTable();
  const fetch = fakeFetch(() => jsonReply(fixtureJson('aloware/availability-200.json')));
  const runtimes = [0, 1].map((index) =>
    createRuntime({ config, secretSource: fakeSecretSource(secrets), fetch, now: clock.now, store: table.storeFor(clock.now), owner: `gate-${index}` }),
  );
  const handlers = runtimes.map((runtime) => createHttpHandler(() => runtime));
  const override = async (gate: number, method: string, body?: unknown, queue = 'support') => {
    const event = proxyEvent('/v1/queues/{id}/override', `/v1/queues/${queue}/override`, { id: queue }, { method, headers: { 'x-api-key': adminKey } });
    if (body !== undefined) event.body = JSON.stringify(body);
    const result = (await handlers[gate]!(event, lambdaContext())) as APIGatewayProxyResult;
    return { status: result.statusCode, json: result.body ? JSON.parse(result.body) : undefined, headers: result.headers ?? {} };
  };
  const ask = async (gate: number, queue = 'support') => {
    const result = (await handlers[gate]!(availabilityEvent(queue, { headers: { 'x-api-key': adminKey } }), lambdaContext())) as APIGatewayProxyResult;
    return JSON.parse(result.body);
  };
  return { clock, table, override, ask };
}

it('a closure stays in force on every container that read it while the table is down, and ends on time', async () => {
  const { clock, table, override, ask } = setup();
  const until = new Date(clock.now() + 2 * hour).toISOString();
  expect((await override(0, 'PUT', { state: 'closed', until })).status).toBe(200);
  expect(await ask(1)).toMatchObject({ reason: 'closed', closedBy: 'override' });
  table.down = true;
  for (const step of [1_500, 5_000, 60_000]) {
    clock.advance(step);
    expect(await ask(0)).toMatchObject({ canTransfer: false, reason: 'closed', closedBy: 'override', opensAt: until });
    expect(await ask(1)).toMatchObject({ canTransfer: false, reason: 'closed', closedBy: 'override', opensAt: until });
  }
  // GET answers the last override read.
  expect(await override(1, 'GET')).toMatchObject({ status: 200, json: { state: 'closed', until } });
  clock.advance(2 * hour);
  expect(await ask(1)).toMatchObject({ canTransfer: true, reason: 'agents_available' });
  expect((await override(1, 'GET')).status).toBe(404);
});

it('a write the table does not confirm is a 503 with Retry-After: 5, and no container applies it', async () => {
  const { table, override, ask } = setup();
  expect((await ask(0)).reason).toBe('agents_available');
  table.down = true;
  const put = await override(0, 'PUT', { state: 'closed', note: 'storm' });
  expect(put.status).toBe(503);
  expect(put.headers['Retry-After']).toBe('5');
  expect(put.json.error).toBe('state_unavailable');
  expect(put.json.message).toMatch(/check with GET, then repeat \(repeating is harmless\)/);
  expect((await ask(0)).reason).toBe('agents_available');
  expect((await ask(1)).reason).toBe('agents_available');
  table.down = false;
  expect(await table.data.getOverride('support', 0)).toBeUndefined();
});

it('a DELETE the table does not confirm is a 503, and the closure stays in force', async () => {
  const { table, override, ask } = setup();
  expect((await override(0, 'PUT', { state: 'closed' })).status).toBe(200);
  table.down = true;
  const deleted = await override(0, 'DELETE');
  expect(deleted).toMatchObject({ status: 503, json: { error: 'state_unavailable' } });
  expect(deleted.headers['Retry-After']).toBe('5');
  expect((await ask(0)).reason).toBe('closed');
});

it('GET during an outage: the last override read; 404 when the last read was none; 503 when never read', async () => {
  const { table, override, ask } = setup();
  expect((await override(0, 'GET')).status).toBe(404);
  expect((await ask(1, 'sales')).reason).toBe('agents_available');
  table.down = true;
  expect(await override(0, 'GET')).toMatchObject({ status: 404, json: { error: 'override_not_found' } });
  // Gate 1 has checked "sales" (and read its override: none), never "support".
  expect(await override(1, 'GET', undefined, 'sales')).toMatchObject({ status: 404 });
  const never = await override(1, 'GET');
  expect(never).toMatchObject({ status: 503, json: { error: 'state_unavailable' } });
  expect(never.headers['Retry-After']).toBe('5');
  // A container that never read an override answers as if none were set.
  expect((await ask(1)).reason).toBe('agents_available');
});
