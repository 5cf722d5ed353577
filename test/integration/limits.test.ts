/**
 * docs/operators/limits.md across containers: two gates (two runtimes, each with its own DynamoDB
 * client and container memory) on ONE in-process dynalite table, against vendor simulators.
 * The races: k requests for r units of room among f free agents get exactly min(k, r, f) yeses;
 * pingsPerMinute is exact across gates; a duplicate seen by one gate is refused by the other.
 */
import '../support/warn-logs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../../functions/http/handler';
import { availabilityEvent, lambdaContext } from '../support/api-gateway-event';
import { callerEntry, freePorts } from '../support/local-gate';
import { type SharedGates, startSharedGates } from '../support/two-gates';

const sellers = Array.from({ length: 12 }, (_, index) => ({ name: `seller-${index}`, key: `limits-it-seller-${index}-key-0123456789` }));
const capped = { name: 'capped', key: 'limits-it-capped-key-0123456789' };
const slots = { name: 'slots', key: 'limits-it-slots-key-0123456789' };
const pinger = { name: 'pinger', key: 'limits-it-pinger-key-0123456789' };
const agents: Record<string, number> = { 'queue-cap': 5, 'few-agents': 2, 'seller-cap': 5, 'max-holds': 5, dups: 5, pings: 5 };
let gates: SharedGates;
let http: ReturnType<typeof createHttpHandler>[];

beforeAll(async () => {
  const ids = Object.keys(agents);
  const ports = (await freePorts(ids.length)).map((port) => `http://127.0.0.1:${port}`);
  const queue = (id: string, index: number) => ({
    id,
    vendor: 'aloware',
    secret: `tg/${id}`,
    ringGroupId: 1,
    baseUrl: ports[index],
    ...(id === 'queue-cap' && { limits: { transfersPerHour: 3 } }),
    ...(id === 'dups' && { duplicates: { windowHours: 24, scope: 'queue' } }),
  });
  gates = await startSharedGates({
    gates: 2,
    callerKey: sellers[0]!.key,
    // A GC pause on a loaded test machine must not turn a placement into state_unavailable.
    storeBudgetMs: 2_000,
    config: { defaults: { cacheTtlMs: 60_000, timeoutMs: 1500, holdMs: 30_000 }, queues: ids.map(queue) },
    secrets: {
      'transfer-gate/callers': {
        callers: [
          ...sellers.map((seller) => callerEntry(seller.name, seller.key, ['*'])),
          { ...callerEntry(capped.name, capped.key, ['*']), limits: { transfersPerHour: 4 } },
          { ...callerEntry(slots.name, slots.key, ['*']), limits: { maxHolds: 2 } },
          { ...callerEntry(pinger.name, pinger.key, ['*']), limits: { pingsPerMinute: 5 } },
        ],
      },
      ...Object.fromEntries(ids.map((id) => [`tg/${id}`, { apiToken: `${id}-token` }])),
    },
  });
  for (const [id, simulator] of gates.simulators) simulator.setAgents({ available: agents[id]!, busy: 0 });
  http = gates.runtimes.map((runtime) => createHttpHandler(() => runtime));
}, 20_000);
afterAll(() => gates?.close());

async function ask(gate: number, queue: string, key: string, callerId?: string) {
  const event = availabilityEvent(queue, { headers: { 'x-api-key': key }, query: callerId === undefined ? {} : { callerId } });
  const result = (await http[gate]!(event, lambdaContext())) as APIGatewayProxyResult;
  return { status: result.statusCode, json: JSON.parse(result.body), headers: result.headers ?? {} };
}

const callerId = (index: number) => `+1201555${String(index).padStart(4, '0')}`;
const yeses = (answers: Array<{ json: { canTransfer?: boolean } }>) => answers.filter((answer) => answer.json.canTransfer).length;

/** Counts per UTC minute and hour: start a race well inside one. */
async function awayFromMinuteEdge() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
}

beforeEach(awayFromMinuteEdge);

test("a queue's limit: 12 sellers at once for 3 units of room among 5 free agents, exactly 3 yeses", async () => {
  const answers = await Promise.all(sellers.map((seller, index) => ask(index % 2, 'queue-cap', seller.key, callerId(index))));
  expect(yeses(answers)).toBe(3);
  expect(answers.filter((answer) => answer.json.reason === 'queue_limit')).toHaveLength(9);
  expect(new Set(answers.filter((answer) => answer.json.reason === 'queue_limit').map((answer) => answer.json.limit))).toEqual(new Set(['transfersPerHour']));
});

test("a seller's limit: 10 calls at once for 4 units of room among 2 free agents, exactly 2 yeses, and the refused give their units back", async () => {
  const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => ask(index % 2, 'few-agents', capped.key, callerId(100 + index))));
  expect(yeses(answers)).toBe(2);
  // The 8 refused took nothing for good: 2 of the 4 units are left, on a queue with free agents.
  const more = await Promise.all(Array.from({ length: 6 }, (_, index) => ask(index % 2, 'seller-cap', capped.key, callerId(200 + index))));
  expect(yeses(more)).toBe(2);
  expect(more.filter((answer) => answer.json.reason === 'caller_limit')).toHaveLength(4);
});

test('maxHolds: 8 calls at once for 2 slots among 5 free agents, exactly 2 yeses; retryAt is when the earliest ends', async () => {
  const answers = await Promise.all(Array.from({ length: 8 }, (_, index) => ask(index % 2, 'max-holds', slots.key, callerId(300 + index))));
  expect(yeses(answers)).toBe(2);
  const earliest = answers
    .filter((answer) => answer.json.canTransfer)
    .map((answer) => answer.json.hold.expiresAt as string)
    .sort()[0];
  for (const refused of answers.filter((answer) => !answer.json.canTransfer))
    expect(refused.json).toMatchObject({ reason: 'caller_limit', limit: 'maxHolds', retryAt: earliest });
});

test('pingsPerMinute is exact across gates: 12 requests at once for 5, and the rest get 429 with Retry-After', async () => {
  const answers = await Promise.all(Array.from({ length: 12 }, (_, index) => ask(index % 2, 'pings', pinger.key)));
  expect(answers.filter((answer) => answer.status === 200)).toHaveLength(5);
  const refused = answers.filter((answer) => answer.status === 429);
  expect(refused).toHaveLength(7);
  for (const answer of refused) {
    expect(answer.json.error).toBe('rate_limited');
    expect(Number(answer.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(Number(answer.headers['Retry-After'])).toBeLessThanOrEqual(60);
  }
});

test('duplicates across gates: two sellers at once for one callerId get one hold; a later seller is refused on the other gate without a vendor call', async () => {
  const [first, second] = await Promise.all([ask(0, 'dups', sellers[0]!.key, '2015559999'), ask(1, 'dups', sellers[1]!.key, '+12015559999')]);
  expect(yeses([first!, second!])).toBe(1);
  expect([first!.json.reason, second!.json.reason].sort()).toEqual(['agents_available', 'duplicate_caller']);
  const simulator = gates.simulators.get('dups')!;
  simulator.resetCalls();
  expect((await ask(1, 'dups', sellers[2]!.key, '12015559999')).json).toMatchObject({ canTransfer: false, reason: 'duplicate_caller', availableAgents: null });
  expect(simulator.calls()).toBe(0);
});
