import '../support/warn-logs';
/**
 * Shared state (docs/operators/shared-state.md) across containers: two gates (two runtimes, each with its own DynamoDB client,
 * lease owner and container memory, behind its own HTTP handler) on ONE in-process dynalite
 * table, against vendor simulators in this process that count every call.
 */
import { isAircallSimulator } from '../../local/simulators/aircall-simulator';
import type { VendorSimulator } from '../../local/simulators/simulator';
import { callerEntry, freePorts } from '../support/local-gate';
import { captureLogs } from '../support/logs';
import { type GateAnswer, type SharedGates, hammer, startSharedGates } from '../support/two-gates';

const callerKey = 'shared-state-it-key-0123456789';
let gates: SharedGates;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  const [ttl, outage, limited, budget, aircall] = (await freePorts(5)).map((port) => `http://127.0.0.1:${port}`);
  const aloware = (id: string, secret: string, baseUrl: string, extra: Record<string, unknown> = {}) => ({
    id,
    vendor: 'aloware',
    secret,
    ringGroupId: 1,
    baseUrl,
    ...extra,
  });
  gates = await startSharedGates({
    gates: 2,
    callerKey,
    storeBudgetMs: 1_000,
    config: {
      defaults: { cacheTtlMs: 1000, timeoutMs: 1500, maxStaleMs: 0 },
      vendorBudgets: { 'tg/budget': { callsPerMinute: 5 } },
      queues: [
        aloware('ttl', 'tg/ttl', ttl!),
        aloware('outage', 'tg/outage', outage!),
        aloware('limited-1', 'tg/limited', limited!),
        aloware('limited-2', 'tg/limited', limited!, { ringGroupId: 2 }),
        aloware('budgeted', 'tg/budget', budget!, { cacheTtlMs: 0 }),
        { id: 'team-a', vendor: 'aircall', secret: 'tg/aircall', teamId: 42, baseUrl: aircall, cacheTtlMs: 1000 },
        { id: 'team-b', vendor: 'aircall', secret: 'tg/aircall', userIds: [1001, 1002], baseUrl: aircall, cacheTtlMs: 2000 },
        { id: 'team-c', vendor: 'aircall', secret: 'tg/aircall', userIds: [1003, 1004], baseUrl: aircall, cacheTtlMs: 3000 },
      ],
    },
    secrets: {
      'transfer-gate/callers': { callers: [callerEntry('it', callerKey, ['*'])] },
      'tg/ttl': { apiToken: 'ttl-token' },
      'tg/outage': { apiToken: 'outage-token' },
      'tg/limited': { apiToken: 'limited-token' },
      'tg/budget': { apiToken: 'budget-token' },
      'tg/aircall': { apiId: 'aircall-id', apiToken: 'aircall-token' },
    },
  });
}, 20_000);
afterAll(() => gates?.close());
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

const simulator = (queueId: string): VendorSimulator => gates.simulators.get(queueId)!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const statuses = (answers: GateAnswer[]) => [...new Set(answers.map((answer) => answer.status))];

it('100 concurrent callers over both gates for 4 s: at most one vendor call per cacheTtlMs (+1), every answer a real one', async () => {
  const vendor = simulator('ttl');
  vendor.resetCalls();
  const started = performance.now();
  const answers = await hammer(gates, 2, 'ttl', 100, 4_000);
  const elapsedMs = performance.now() - started;
  expect(statuses(answers)).toEqual([200]);
  expect(answers.every((answer) => answer.json.canTransfer === true)).toBe(true);
  expect(vendor.calls()).toBeLessThanOrEqual(Math.floor(elapsedMs / 1000) + 1);
  expect(vendor.calls()).toBeGreaterThanOrEqual(2);
  expect(answers.length).toBeGreaterThan(1_000);
}, 15_000);

it('a vendor answering 500: read once per backoff step (1 s, then 2 s) across both gates; callers get vendor_error, never a 500', async () => {
  const vendor = simulator('outage');
  vendor.setMode('5xx');
  vendor.resetCalls();
  // Steps at 0, 1 s and 3 s; the next would be at 7 s.
  const answers = await hammer(gates, 2, 'outage', 40, 4_500);
  vendor.setMode('ok');
  expect(vendor.calls()).toBe(3);
  expect(statuses(answers)).toEqual([200]);
  expect(new Set(answers.map((answer) => `${answer.json.reason}/${answer.json.vendorError}`))).toEqual(new Set(['vendor_error/server']));
  // source: live only for the checks that called the vendor or joined that call in their own
  // process (at most the 20 callers of one gate per call); every answer from the backoff is cache.
  const live = answers.filter((answer) => answer.json.source === 'live');
  expect(new Set(live.map((answer) => answer.json.checkedAt)).size).toBeLessThanOrEqual(3);
  expect(live.length).toBeLessThanOrEqual(3 * 20);
  expect(live.length + answers.filter((answer) => answer.json.source === 'cache').length).toBe(answers.length);
  expect(answers.length).toBeGreaterThan(10 * live.length);
}, 15_000);

it('a 429 with Retry-After seen by one gate blocks the other and the sibling queue on the same secret, until it passes', async () => {
  const vendor = simulator('limited-1');
  vendor.setMode('429', { retryAfterSeconds: 2 });
  vendor.resetCalls();
  const blockedAt = Date.now();
  const first = await gates.ask(0, 'limited-1');
  expect(first.json).toMatchObject({ canTransfer: false, vendorError: 'rate_limited', source: 'live' });
  expect(vendor.calls()).toBe(1);
  vendor.setMode('ok');
  const others = await Promise.all([gates.ask(1, 'limited-2'), gates.ask(1, 'limited-1'), gates.ask(0, 'limited-2')]);
  // Blocked: no call made, so no answer says live.
  for (const answer of others) expect(answer.json).toMatchObject({ canTransfer: false, vendorError: 'rate_limited', source: 'cache' });
  const blocked = await hammer(gates, 2, 'limited-2', 10, 500);
  expect(blocked.length).toBeGreaterThan(20);
  expect(new Set(blocked.map((answer) => `${answer.json.vendorError}/${answer.json.source}`))).toEqual(new Set(['rate_limited/cache']));
  expect(vendor.calls()).toBe(1);
  await sleep(blockedAt + 2_100 - Date.now());
  const after = await gates.ask(1, 'limited-2');
  expect(after.json).toMatchObject({ canTransfer: true, source: 'live' });
  expect(vendor.calls()).toBe(2);
}, 10_000);

it('a vendor budget of 5 calls a minute holds across both gates', async () => {
  // One UTC minute for the whole run, so the budget cannot refill in the middle of it.
  const toNextMinute = 60_000 - (Date.now() % 60_000);
  if (toNextMinute < 4_000) await sleep(toNextMinute + 50);
  const vendor = simulator('budgeted');
  vendor.resetCalls();
  const answers = await hammer(gates, 2, 'budgeted', 20, 2_000);
  expect(vendor.calls()).toBe(5);
  expect(statuses(answers)).toEqual([200]);
  const refused = answers.filter((answer) => answer.json.vendorError === 'rate_limited');
  expect(refused.length).toBeGreaterThan(0);
  // A spent budget makes no call: those answers are never live.
  expect(new Set(refused.map((answer) => answer.json.source))).toEqual(new Set(['cache']));
  expect(answers.filter((answer) => answer.json.canTransfer === true).length).toBeGreaterThanOrEqual(5);
}, 15_000);

it('three Aircall queues on one secret share one company-wide read per shortest cacheTtlMs, across both gates', async () => {
  const aircall = simulator('team-a');
  if (!isAircallSimulator(aircall)) throw new Error('no Aircall simulator');
  const reads = () => aircall.calls('/v1/users/availabilities');
  const before = reads();
  const started = performance.now();
  const answers = (await Promise.all(['team-a', 'team-b', 'team-c'].map((queue) => hammer(gates, 2, queue, 10, 3_000)))).flat();
  const elapsedMs = performance.now() - started;
  expect(statuses(answers)).toEqual([200]);
  expect(new Set(answers.map((answer) => answer.json.queue))).toEqual(new Set(['team-a', 'team-b', 'team-c']));
  expect(answers.every((answer) => answer.json.canTransfer === true)).toBe(true);
  // One read per 1 s (team-a's TTL) serves all three queues on both gates.
  expect(reads() - before).toBeLessThanOrEqual(Math.floor(elapsedMs / 1000) + 1);
  expect(reads() - before).toBeGreaterThanOrEqual(2);
}, 15_000);

// Its own pair of gates (own table, fresh containers): "state store unavailable" is logged at most once a minute per container.
it('the table killed mid-run: answers continue, no 500, none slower than timeoutMs; "state store unavailable" is logged', async () => {
  const [port] = await freePorts(1);
  const doomed = await startSharedGates({
    gates: 2,
    callerKey,
    config: {
      queues: [{ id: 'killed', vendor: 'aloware', secret: 'tg/kill', ringGroupId: 1, baseUrl: `http://127.0.0.1:${port}`, cacheTtlMs: 300, timeoutMs: 1000 }],
    },
    secrets: { 'transfer-gate/callers': { callers: [callerEntry('it', callerKey, ['*'])] }, 'tg/kill': { apiToken: 'kill-token' } },
  });
  let answers: GateAnswer[];
  let killedAt = Number.POSITIVE_INFINITY;
  try {
    const running = hammer(doomed, 2, 'killed', 20, 3_000);
    await sleep(1_000);
    await doomed.killStore();
    killedAt = performance.now();
    answers = await running;
  } finally {
    await doomed.close();
  }
  expect(statuses(answers)).toEqual([200]);
  expect(answers.every((answer) => answer.json.canTransfer === true)).toBe(true);
  // Two seconds of answers without the table, from both gates.
  expect(answers.filter((answer) => answer.at > killedAt + 1_000).length).toBeGreaterThan(100);
  expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(1_000);
  const unavailable = logs
    .text()
    .split('\n')
    .filter((line) => line.includes('"state store unavailable"'));
  // Once per minute per container at most: one line from each gate.
  expect(unavailable.length).toBeGreaterThanOrEqual(1);
  expect(unavailable.length).toBeLessThanOrEqual(2);
  expect(logs.text()).toContain('"StateStoreUnavailable"');
}, 15_000);
