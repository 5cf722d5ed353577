// Must stay the first import: turns log lines on before shared/logger loads.
import '../../support/verbose-logs';
import { createScheduledHandler } from '../../../functions/scheduled/handler';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { VendorError } from '../../../shared/errors';
import type { Decision } from '../../../shared/gate';
import { type Runtime, createRuntime } from '../../../shared/runtime';
import { ScheduledCheckError } from '../../../shared/errors';
import { vendorErrorKind } from '../../../shared/scheduled/queue-metrics';
import { lambdaContext } from '../../support/api-gateway-event';
import { manualClock } from '../../support/clock';
import { fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';
import { captureLogs } from '../../support/logs';

const alowareToken = 'SENTINEL-ALOWARE-TOKEN-5ced';

const config = parseGateConfig({
  defaults: { cacheTtlMs: 60_000 },
  queues: [
    { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
    { id: 'sales', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2 },
  ],
});

/** Ring group 1 has 3 available agents; ring group 2's vendor answers 503. */
function testRuntime(clock = manualClock()): Runtime {
  const fetch = fakeFetch((request) =>
    request.url.searchParams.get('ring_group_id') === '1' ? jsonReply({ available_users_count: 3 }) : jsonReply({ message: 'down' }, 503),
  );
  return createRuntime({
    config,
    secretSource: fakeSecretSource({ 'tg/aloware': { apiToken: alowareToken } }),
    fetch,
    now: clock.now,
  });
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  expect(logs.text()).not.toContain(alowareToken);
});

function jsonLines(): Array<Record<string, any>> {
  return logs
    .text()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}
const emf = () => jsonLines().filter((line) => line._aws);
const dimensionsOf = (line: Record<string, any>) => line._aws.CloudWatchMetrics[0].Dimensions;

test('checks every queue and sums up the run', async () => {
  const summary = await createScheduledHandler(() => testRuntime())({}, lambdaContext());
  expect(summary).toEqual({ queues: 2, canTransfer: 1, vendorErrors: 1, failures: 0 });
});

test('publishes available agents, can-transfer, latency and errors per queue (EMF)', async () => {
  await createScheduledHandler(() => testRuntime())({}, lambdaContext());
  const support = emf().find((line) => line.queue === 'support');
  expect(support).toMatchObject({ service: 'transfer-gate', AvailableAgents: 3, CanTransfer: 1, VendorErrors: 0, VendorLatency: expect.any(Number) });
  expect(support!._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'TransferGate', Dimensions: [['service', 'queue']] });

  const sales = emf().filter((line) => line.queue === 'sales');
  expect(sales[0]).toMatchObject({ CanTransfer: 0, VendorErrors: 1, VendorLatency: expect.any(Number) });
  // A failed read is never "0 agents available".
  expect(sales[0]).not.toHaveProperty('AvailableAgents');
  expect(dimensionsOf(sales[1]!)).toEqual([['service', 'queue', 'kind']]);
  expect(sales[1]).toMatchObject({ kind: 'server', VendorErrors: 1 });
});

test('flushes the run metrics once per invocation', async () => {
  await createScheduledHandler(() => testRuntime())({}, lambdaContext());
  const run = emf().filter((line) => line.QueuesChecked !== undefined);
  expect(run).toEqual([expect.objectContaining({ QueuesChecked: 2, CheckFailures: 0 })]);
  expect(dimensionsOf(run[0]!)).toEqual([['service']]);
});

test('logs one line per queue, as the scheduled check, with the decision', async () => {
  await createScheduledHandler(() => testRuntime())({}, lambdaContext());
  const lines = jsonLines().filter((line) => line.message === 'scheduled check');
  expect(lines.map((line) => line.queue).sort()).toEqual(['sales', 'support']);
  for (const line of lines)
    expect(line).toMatchObject({ caller: 'scheduled-check', vendor: 'aloware', canTransfer: expect.any(Boolean), reason: expect.any(String) });
  const sales = lines.find((line) => line.queue === 'sales');
  expect(sales).toMatchObject({ reason: 'vendor_error', vendorError: 'server' });
  // availableAgents is null for a failed read; the logger leaves null keys out rather than print a 0.
  expect(sales).not.toHaveProperty('availableAgents');
});

test('a cached answer asked no vendor: no latency and no error count for it', async () => {
  const clock = manualClock();
  const runtime = testRuntime(clock);
  const handler = createScheduledHandler(() => runtime);
  await handler({}, lambdaContext());
  logs.restore();
  logs = captureLogs();
  clock.advance(1000);
  await handler({}, lambdaContext());
  const support = emf().find((line) => line.queue === 'support');
  expect(support).toMatchObject({ AvailableAgents: 3, CanTransfer: 1 });
  expect(support).not.toHaveProperty('VendorLatency');
  expect(support).not.toHaveProperty('VendorErrors');
});

test('a failure inside the gate fails the run (for the alarm) after checking the other queues', async () => {
  const runtime = testRuntime();
  const realCheck = runtime.gate.check.bind(runtime.gate);
  runtime.gate.check = async (queue) => (queue.id === 'sales' ? Promise.reject(new Error('bug')) : realCheck(queue));
  await expect(createScheduledHandler(() => runtime)({}, lambdaContext())).rejects.toThrow(ScheduledCheckError);
  expect(emf().find((line) => line.queue === 'support')).toMatchObject({ AvailableAgents: 3 });
  expect(emf().find((line) => line.CheckFailures !== undefined)).toMatchObject({ CheckFailures: 1 });
});

describe('vendorErrorKind', () => {
  const decision = (source: Decision['source'], vendorError?: Decision['vendorError']): Decision => ({
    queue: 'q',
    canTransfer: false,
    reason: 'vendor_error',
    availableAgents: null,
    minAvailable: 1,
    vendor: 'aloware',
    source,
    checkedAt: '2026-11-22T10:00:00.000Z',
    ageMs: 0,
    vendorError,
  });

  test('counts a call the gate skipped for Retry-After, which reports no read', () => {
    expect(vendorErrorKind(decision('cache', 'rate_limited'), undefined)).toBe('rate_limited');
  });

  test('takes the kind from the read when there was one: a stale answer counts its failed read', () => {
    const failedRead = { latencyMs: 5, error: new VendorError('timeout', 'slow') };
    expect(vendorErrorKind(decision('stale', 'timeout'), failedRead)).toBe('timeout');
    expect(vendorErrorKind(decision('live'), { latencyMs: 5 })).toBeUndefined();
  });

  test('a cached answer is no vendor read at all', () => {
    expect(vendorErrorKind(decision('cache'), undefined)).toBeUndefined();
  });
});

test('adds one line and one EMF object per route: how many members could take a call (no extra vendor call)', async () => {
  const routed = parseGateConfig({
    defaults: { cacheTtlMs: 60_000 },
    queues: [
      { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
      { id: 'sales', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2 },
    ],
    routes: { both: { queues: ['support', 'sales'] }, down: { queues: ['sales'] } },
  });
  const fetch = fakeFetch((request) =>
    request.url.searchParams.get('ring_group_id') === '1' ? jsonReply({ available_users_count: 3 }) : jsonReply({ message: 'down' }, 503),
  );
  const runtime = createRuntime({ config: routed, secretSource: fakeSecretSource({ 'tg/aloware': { apiToken: alowareToken } }), fetch });
  const summary = await createScheduledHandler(() => runtime)({}, lambdaContext());
  expect(summary).toMatchObject({ queues: 2, routes: 2 });
  expect(fetch.calls).toHaveLength(2);
  const lines = jsonLines().filter((line) => line.message === 'scheduled route check');
  expect(lines.map((line) => [line.route, line.membersAvailable, line.canTransfer])).toEqual([
    ['both', 1, true],
    ['down', 0, false],
  ]);
  const both = emf().find((line) => line.route === 'both')!;
  expect(both).toMatchObject({ RouteMembersAvailable: 1, RouteCanTransfer: 1 });
  expect(dimensionsOf(both)).toEqual([['service', 'route']]);
  // The queue lines are as without routes.
  expect(jsonLines().filter((line) => line.message === 'scheduled check')).toHaveLength(2);
});
