// Must stay the first import: every log line on (the hold audit lines are asserted).
import '../support/verbose-logs';
/**
 * Holds (docs/operators/holds.md) across containers: two gates (two runtimes, each with its own DynamoDB client and
 * container memory, behind its own HTTP and Connect handlers) on ONE in-process dynalite table,
 * against vendor simulators in this process that count every call.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createConnectHandler } from '../../functions/connect/handler';
import { createHttpHandler } from '../../functions/http/handler';
import { availabilityEvent, lambdaContext, proxyEvent } from '../support/api-gateway-event';
import { callerEntry, freePorts } from '../support/local-gate';
import { captureLogs } from '../support/logs';
import { type SharedGates, startSharedGates } from '../support/two-gates';
import { contactFlowEvent } from '../infra/support/contact-flow-event';

const acmeKey = 'holds-it-acme-key-0123456789';
const otherKey = 'holds-it-other-key-0123456789';
let gates: SharedGates;
let logs: ReturnType<typeof captureLogs>;
let http: ReturnType<typeof createHttpHandler>[];

beforeAll(async () => {
  const ports = (await freePorts(5)).map((port) => `http://127.0.0.1:${port}`);
  const queue = (id: string, index: number, extra: Record<string, unknown> = {}) => ({
    id,
    vendor: 'aloware',
    secret: `tg/${id}`,
    ringGroupId: 1,
    baseUrl: ports[index],
    ...extra,
  });
  const ids = ['one', 'three', 'reuse', 'lapse', 'connect'];
  gates = await startSharedGates({
    gates: 2,
    callerKey: acmeKey,
    // A GC pause on a loaded test machine must not send a placement to the container's memory.
    storeBudgetMs: 2_000,
    config: {
      defaults: { cacheTtlMs: 60_000, timeoutMs: 1500, holdMs: 30_000 },
      queues: ids.map((id, index) => queue(id, index, id === 'lapse' ? { holdMs: 1_000 } : {})),
    },
    secrets: {
      'transfer-gate/callers': { callers: [callerEntry('acme', acmeKey, ['*']), callerEntry('other', otherKey, ['*'])] },
      ...Object.fromEntries(ids.map((id) => [`tg/${id}`, { apiToken: `${id}-token` }])),
    },
  });
  for (const [id, simulator] of gates.simulators) simulator.setAgents({ available: id === 'three' ? 3 : 1, busy: 1 });
  http = gates.runtimes.map((runtime) => createHttpHandler(() => runtime));
}, 20_000);
afterAll(() => gates?.close());
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

async function call(gate: number, event: Parameters<(typeof http)[number]>[0]) {
  const result = (await http[gate]!(event, lambdaContext())) as APIGatewayProxyResult;
  return { status: result.statusCode, body: result.body, json: result.body ? JSON.parse(result.body) : undefined };
}
const ask = (gate: number, queue: string, callerId?: string, key = acmeKey) =>
  call(gate, availabilityEvent(queue, { headers: { 'x-api-key': key }, query: callerId === undefined ? {} : { callerId } }));
const release = (gate: number, queue: string, callerId: string, key = acmeKey) =>
  call(
    gate,
    proxyEvent(
      '/v1/queues/{id}/holds/{callerId}',
      `/v1/queues/${queue}/holds/${encodeURIComponent(callerId)}`,
      { id: queue, callerId },
      { method: 'DELETE', headers: { 'x-api-key': key } },
    ),
  );
const audit = (message: string) =>
  logs
    .text()
    .split('\n')
    .filter((line) => line.includes(`"message":"${message}"`))
    .map((line) => JSON.parse(line));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function race(queue: string) {
  gates.simulators.get(queue)!.resetCalls();
  const answers = await Promise.all(Array.from({ length: 30 }, (_, index) => ask(index % 2, queue, `+1555010${String(index).padStart(2, '0')}`)));
  expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(200));
  // One read serves both gates (the refresh lease), whatever the holds do.
  expect(gates.simulators.get(queue)!.calls()).toBe(1);
  // Every placement went through the table: none fell back to a container's memory.
  expect(logs.text()).not.toContain('state store unavailable');
  return answers.filter((answer) => answer.json.canTransfer);
}

it('30 concurrent pings with distinct callerIds over both gates and one free agent: one "yes", one hold placed', async () => {
  const yes = await race('one');
  expect(yes).toHaveLength(1);
  expect(yes[0]!.json).toMatchObject({ heldAgents: 0, hold: { callerId: expect.stringMatching(/^\+1555010/) } });
  expect(audit('hold placed')).toHaveLength(1);
}, 15_000);

it('three free agents: three "yes"', async () => {
  const yes = await race('three');
  expect(yes).toHaveLength(3);
  expect(new Set(yes.map((answer) => answer.json.hold.callerId)).size).toBe(3);
}, 15_000);

it('the winner asking again on the other gate keeps its hold; the owner releases it (204), another caller gets 404', async () => {
  const first = await ask(0, 'reuse', '+15550200001');
  expect(first.json).toMatchObject({ canTransfer: true, hold: { callerId: '+15550200001' } });
  const again = await ask(1, 'reuse', '+15550200001');
  expect(again.json).toMatchObject({ canTransfer: true, heldAgents: 0, hold: first.json.hold });
  expect((await ask(1, 'reuse', '+15550200002', otherKey)).json).toMatchObject({ canTransfer: false, heldAgents: 1 });
  expect(await release(1, 'reuse', '+15550200001', otherKey)).toMatchObject({ status: 404, json: { error: 'hold_not_found' } });
  expect(await release(1, 'reuse', '+15550200001')).toMatchObject({ status: 204, body: '' });
  expect((await ask(0, 'reuse', '+15550200002', otherKey)).json).toMatchObject({ canTransfer: true, heldAgents: 0, hold: { callerId: '+15550200002' } });
  expect(audit('hold reused')).toHaveLength(1);
  expect(audit('hold released')[0]).toMatchObject({ queue: 'reuse', caller: 'acme', callerId: '+15550200001', expiresAt: first.json.hold.expiresAt });
}, 15_000);

it('a hold lapses after holdMs: its agent is free again on the other gate, and the lapse is logged', async () => {
  const first = await ask(0, 'lapse', '+15550300001');
  expect(first.json.hold).toBeDefined();
  expect((await ask(1, 'lapse', '+15550300002')).json.canTransfer).toBe(false);
  await sleep(Date.parse(first.json.hold.expiresAt) - Date.now() + 50);
  expect((await ask(1, 'lapse', '+15550300002')).json).toMatchObject({ canTransfer: true, heldAgents: 0 });
  expect(audit('hold lapsed')).toEqual([
    expect.objectContaining({ queue: 'lapse', caller: 'acme', callerId: '+15550300001', expiresAt: first.json.hold.expiresAt }),
  ]);
}, 15_000);

it('a malformed callerId is a 400 on either route', async () => {
  expect(await ask(0, 'one', '+1 555')).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
  expect(await release(1, 'one', 'a/b')).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
});

it('Connect with a callerId holds the agent for amazon-connect across both gates', async () => {
  const connect = gates.runtimes.map((runtime) => createConnectHandler(() => runtime));
  const first = await connect[0]!(contactFlowEvent({ queue: 'connect', callerId: '+15550400001' }), lambdaContext());
  expect(first).toMatchObject({ canTransfer: 'true', heldAgents: '0', holdExpiresAt: expect.stringMatching(/Z$/) });
  expect(await connect[1]!(contactFlowEvent({ queue: 'connect', callerId: '+15550400001' }), lambdaContext())).toMatchObject({
    canTransfer: 'true',
    holdExpiresAt: first.holdExpiresAt,
  });
  expect(await connect[1]!(contactFlowEvent({ queue: 'connect', callerId: '+15550400002' }), lambdaContext())).toMatchObject({
    canTransfer: 'false',
    heldAgents: '1',
    holdExpiresAt: '',
  });
  expect((await ask(0, 'connect')).json).toMatchObject({ canTransfer: false, heldAgents: 1 });
  expect(audit('hold placed')).toEqual([expect.objectContaining({ queue: 'connect', caller: 'amazon-connect', callerId: '+15550400001' })]);
}, 15_000);
