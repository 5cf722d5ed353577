/**
 * GET /v1/status (docs/on-call/console.md): one queue's status from what the store holds (pure),
 * and the sellers' counters read from the store through the HTTP handler.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../../../functions/http/handler';
import { type QueueFacts, queueStatus } from '../../../shared/api/status-report';
import { hashKey } from '../../../shared/callers';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { createRuntime } from '../../../shared/runtime';
import { MemoryStore } from '../../../shared/state/memory-store';
import { availabilityEvent, lambdaContext, proxyEvent } from '../../support/api-gateway-event';
import { manualClock } from '../../support/clock';
import { fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';

const config = parseGateConfig({
  schedules: { never: { timeZone: 'UTC', weekly: {} } },
  queues: [
    { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, holdMs: 30_000, minAvailable: 2 },
    { id: 'closers', vendor: 'aircall', secret: 'tg/aircall', teamId: 42 },
    { id: 'night', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2, schedule: 'never' },
  ],
});
const queue = (id: string) => config.queues.get(id)!;
const now = Date.parse('2026-12-03T10:00:00.000Z');
const own = (id: string) => ({ key: `queue:${id}`, shared: false });
const reading = (available: number, ago = 1000) => ({ availability: { available, busy: 1, total: available + 1 }, checkedAt: now - ago });

it('a reading, counted net of the holds standing, with holds per seller (expired ones left out)', () => {
  const facts: QueueFacts = {
    override: undefined,
    state: { reading: reading(3) },
    holds: [
      { callerName: 'acme-leads', callerId: '+15550001', placedAt: now - 5000, expiresAt: now + 25_000 },
      { callerName: '__proto__', callerId: '+15550002', placedAt: now - 5000, expiresAt: now + 25_000 },
      { callerName: 'acme-leads', callerId: '+15550003', placedAt: now - 40_000, expiresAt: now - 10_000 },
    ],
    readKey: own('support'),
  };
  const status = queueStatus(queue('support'), facts, now);
  expect(status).toMatchObject({
    open: true,
    closedBy: null,
    opensAt: null,
    closesAt: null,
    override: null,
    failure: null,
    reading: { availableAgents: 3, busyAgents: 1, totalAgents: 4, checkedAt: '2026-12-03T09:59:59.000Z', ageMs: 1000 },
    // 3 free, 2 held, minAvailable 2: a caller without a hold hears no.
    answer: { canTransfer: false, reason: 'not_enough_agents' },
  });
  expect(status.holds.count).toBe(2);
  expect(Object.entries(status.holds.bySeller)).toEqual([
    ['acme-leads', 1],
    ['__proto__', 1],
  ]);
  expect(JSON.parse(JSON.stringify(status.holds.bySeller))).toEqual(JSON.parse('{"acme-leads":1,"__proto__":1}'));
  expect(status.holds.list.map((hold) => hold.callerId)).toEqual(['+15550001', '+15550002']);
});

it('a failure newer than the last good reading: the failure and the answer it gives', () => {
  const facts: QueueFacts = {
    override: undefined,
    state: { reading: reading(3, 60_000), failure: { kind: 'server', at: now - 2000, streak: 2, retryAt: now + 2000 } },
    holds: [],
    readKey: own('support'),
  };
  expect(queueStatus(queue('support'), facts, now)).toMatchObject({
    failure: { vendorError: 'server', at: '2026-12-03T09:59:58.000Z', streak: 2, retryAt: '2026-12-03T10:00:02.000Z' },
    answer: { canTransfer: false, reason: 'vendor_error' },
    reading: { availableAgents: 3, ageMs: 60_000 },
  });
});

it('a closed override wins: closed by override until its end, with the override shown', () => {
  const override = { state: 'closed' as const, until: now + 3_600_000, note: 'drill', setBy: 'ops', setAt: now - 1000 };
  const status = queueStatus(queue('support'), { override, state: {}, holds: [], readKey: own('support') }, now);
  expect(status).toMatchObject({
    open: false,
    closedBy: 'override',
    opensAt: '2026-12-03T11:00:00.000Z',
    closesAt: null,
    override: { queue: 'support', state: 'closed', until: '2026-12-03T11:00:00.000Z', note: 'drill', setBy: 'ops' },
    answer: { canTransfer: false, reason: 'closed' },
    reading: null,
  });
});

it('a schedule closure, and a queue never read', () => {
  expect(queueStatus(queue('night'), { override: undefined, state: {}, holds: [], readKey: own('night') }, now)).toMatchObject({
    open: false,
    closedBy: 'schedule',
    opensAt: null,
  });
  expect(queueStatus(queue('support'), { override: undefined, state: {}, holds: [], readKey: own('support') }, now)).toMatchObject({
    open: true,
    answer: null,
    reading: null,
  });
});

it("a queue answered from a shared read shows the read's age, never the company's count as its own", () => {
  const facts: QueueFacts = { override: undefined, state: { reading: reading(40) }, holds: [], readKey: { key: 'aircall:tg/aircall', shared: true } };
  expect(queueStatus(queue('closers'), facts, now)).toMatchObject({
    reading: { availableAgents: null, sharedRead: 'aircall:tg/aircall', ageMs: 1000 },
    answer: null,
  });
});

describe('per seller, from the store: the limits used in the current UTC windows (docs/operators/limits.md)', () => {
  const adminKey = 'SENTINEL-ADMIN-KEY-status-1';
  const acmeKey = 'SENTINEL-ACME-KEY-status-2';
  const plainKey = 'SENTINEL-PLAIN-KEY-status-3';
  const limitsConfig = parseGateConfig({
    defaults: { holdMs: 30_000 },
    queues: [
      { id: 'sales', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
      { id: 'medicare', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2 },
    ],
  });
  const secrets = {
    'transfer-gate/callers': {
      callers: [
        { name: 'ops', keySha256: hashKey(adminKey), queues: ['*'], admin: true },
        { name: 'acme-leads', keySha256: hashKey(acmeKey), queues: ['*'], limits: { maxHolds: 3, transfersPerHour: 5, transfersPerDay: 10 } },
        { name: 'hourly', keySha256: hashKey('SENTINEL-HOURLY-KEY-status-4'), queues: ['sales'], limits: { transfersPerHour: 5 } },
        { name: 'plain', keySha256: hashKey(plainKey), queues: ['*'] },
      ],
    },
    'tg/aloware': { apiToken: 'SENTINEL-VENDOR-TOKEN-status' },
  };

  it('transfersThisHour and transfersToday over all queues, holdsStanding; null for a window without a limit; no vendor call', async () => {
    const clock = manualClock(Date.parse('2026-12-03T10:59:00.000Z'));
    const fetch = fakeFetch(() => jsonReply({ available_users_count: 5, total_users_count: 5 }));
    const runtime = createRuntime({ config: limitsConfig, secretSource: fakeSecretSource(secrets), fetch, now: clock.now, store: new MemoryStore() });
    const handler = createHttpHandler(() => runtime);
    const call = async (event: APIGatewayProxyEvent) => {
      const result = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
      return { status: result.statusCode, json: result.body ? JSON.parse(result.body) : undefined };
    };
    const ask = (queue: string, key: string, callerId: string) => call(availabilityEvent(queue, { headers: { 'x-api-key': key }, query: { callerId } }));
    const status = async () => {
      const calls = fetch.calls.length;
      const answer = await call(proxyEvent('/v1/status', '/v1/status', {}, { headers: { 'x-api-key': adminKey } }));
      expect(fetch.calls.length).toBe(calls);
      expect(answer.status).toBe(200);
      return answer.json.sellers as Array<Record<string, unknown>>;
    };

    expect((await ask('sales', acmeKey, '+12015550101')).json).toMatchObject({ canTransfer: true });
    expect((await ask('medicare', acmeKey, '2015550102')).json).toMatchObject({ canTransfer: true });
    expect((await ask('sales', acmeKey, '12015550101')).json).toMatchObject({ canTransfer: true }); // its own hold again: not counted again
    expect((await ask('sales', plainKey, '+12015550103')).json).toMatchObject({ canTransfer: true });
    expect(
      (
        await call(
          proxyEvent(
            '/v1/queues/{id}/holds/{callerId}',
            '/v1/queues/sales/holds/%2B12015550101',
            { id: 'sales', callerId: '+12015550101' },
            { method: 'DELETE', headers: { 'x-api-key': acmeKey } },
          ),
        )
      ).status,
    ).toBe(204); // released early: the transfer stays counted
    expect(await status()).toEqual([
      { seller: 'acme-leads', holdsStanding: 1, transfersThisHour: 2, transfersToday: 2 },
      { seller: 'hourly', holdsStanding: 0, transfersThisHour: 0, transfersToday: null },
      { seller: 'ops', holdsStanding: 0, transfersThisHour: null, transfersToday: null },
      { seller: 'plain', holdsStanding: 1, transfersThisHour: null, transfersToday: null },
    ]);

    clock.advance(60_000); // 11:00: a new UTC hour, the same UTC day; every hold has expired
    expect((await ask('sales', acmeKey, '+12015550104')).json).toMatchObject({ canTransfer: true });
    expect((await status())[0]).toEqual({ seller: 'acme-leads', holdsStanding: 1, transfersThisHour: 1, transfersToday: 3 });
  });
});
