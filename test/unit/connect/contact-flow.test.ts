// Must stay the first import: turns log lines on before shared/logger loads.
import '../../support/verbose-logs';
import { createConnectHandler } from '../../../functions/connect/handler';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { answerContactFlow, toContactFlowAnswer } from '../../../shared/connect/contact-flow';
import type { Decision } from '../../../shared/gate';
import { type Runtime, createRuntime } from '../../../shared/runtime';
import { MemoryStore } from '../../../shared/state/memory-store';
import { lambdaContext } from '../../support/api-gateway-event';
import { type FakeFetch, fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';
import { captureLogs } from '../../support/logs';
import { contactFlowEvent, customerNumber } from '../../infra/support/contact-flow-event';

const alowareToken = 'SENTINEL-ALOWARE-TOKEN-c0de';

const config = parseGateConfig({
  queues: [
    { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, minAvailable: 2 },
    { id: 'lenient', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2, onVendorError: 'allow' },
    {
      id: 'held',
      vendor: 'aloware',
      secret: 'tg/aloware',
      ringGroupId: 1,
      holdMs: 30_000,
      transferTo: '+15551230000',
      payout: { amount: 35, currency: 'USD' },
    },
    { id: 'down', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2 },
  ],
  routes: { 'held-first': { queues: ['down', 'held'] }, nowhere: { queues: ['down'] } },
});

/** Ring group 1 has 3 available agents; ring group 2's vendor is down. */
function vendorFetch(): FakeFetch {
  return fakeFetch((request) =>
    request.url.searchParams.get('ring_group_id') === '1'
      ? jsonReply({ available_users_count: 3, total_users_count: 5 })
      : jsonReply({ message: 'Server Error' }, 503),
  );
}

function runtime(fetch = vendorFetch()): Runtime {
  return createRuntime({ config, secretSource: fakeSecretSource({ 'tg/aloware': { apiToken: alowareToken } }), fetch });
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  expect(logs.text()).not.toContain(alowareToken);
  expect(logs.text()).not.toContain(customerNumber);
});

test('a queue with agents: canTransfer "true" and the counts as strings', async () => {
  const answer = await answerContactFlow(runtime(), contactFlowEvent({ queue: 'support' }));
  expect(answer).toMatchObject({
    queue: 'support',
    canTransfer: 'true',
    availableAgents: '3',
    reason: 'agents_available',
    minAvailable: '2',
    vendor: 'aloware',
    source: 'live',
    vendorError: '',
    message: '',
  });
  expect(Date.parse(answer.checkedAt)).not.toBeNaN();
});

test('every answer is a flat map of strings with the same keys', async () => {
  const gate = runtime();
  const answers = await Promise.all([
    answerContactFlow(gate, contactFlowEvent({ queue: 'support' })),
    answerContactFlow(gate, contactFlowEvent({ queue: 'lenient' })),
    answerContactFlow(gate, contactFlowEvent({ queue: 'nope' })),
    answerContactFlow(gate, contactFlowEvent({})),
  ]);
  const keys = Object.keys(answers[0]!).sort();
  for (const answer of answers) {
    expect(Object.keys(answer).sort()).toEqual(keys);
    for (const value of Object.values(answer)) expect(typeof value).toBe('string');
  }
});

test('the same keys on every answer, limit and callerState included ("" when absent or null): a yes, outside_area, an unknown state, queue_limit, errors', async () => {
  const limited = parseGateConfig({
    queues: [
      { id: 'az', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, geo: { states: ['AZ'], onUnknown: 'deny' } },
      { id: 'capped', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, holdMs: 30_000, limits: { transfersPerHour: 1 } },
      { id: 'plain', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
    ],
  });
  const gate = createRuntime({
    config: limited,
    secretSource: fakeSecretSource({ 'tg/aloware': { apiToken: alowareToken } }),
    fetch: vendorFetch(),
    store: new MemoryStore(),
  });
  const answers = [
    await answerContactFlow(gate, contactFlowEvent({ queue: 'az', state: 'az' })),
    await answerContactFlow(gate, contactFlowEvent({ queue: 'az', state: 'TX' })),
    await answerContactFlow(gate, contactFlowEvent({ queue: 'az', callerId: '+18005550123' })),
    await answerContactFlow(gate, contactFlowEvent({ queue: 'capped', callerId: '+12015550101' })),
    await answerContactFlow(gate, contactFlowEvent({ queue: 'capped', callerId: '+12015550102' })),
    await answerContactFlow(gate, contactFlowEvent({ queue: 'capped' })),
    await answerContactFlow(gate, contactFlowEvent({ queue: 'plain' })),
    await answerContactFlow(gate, contactFlowEvent({ queue: 'nope' })),
    await answerContactFlow(gate, contactFlowEvent({})),
  ];
  expect(answers.map((answer) => [answer.reason, answer.limit, answer.callerState])).toEqual([
    ['agents_available', '', 'AZ'],
    ['outside_area', '', 'TX'],
    ['outside_area', '', ''], // toll-free: the state cannot be told (null)
    ['agents_available', '', ''],
    ['queue_limit', 'transfersPerHour', ''],
    ['invalid_request', '', ''], // a queue with limits needs a callerId
    ['agents_available', '', ''],
    ['queue_not_found', '', ''],
    ['invalid_request', '', ''],
  ]);
  const keys = Object.keys(answers[0]!).sort();
  expect(keys).toEqual(expect.arrayContaining(['limit', 'callerState', 'queue', 'heldAgents', 'holdExpiresAt']));
  for (const answer of answers) {
    expect(Object.keys(answer).sort()).toEqual(keys);
    for (const value of Object.values(answer)) expect(typeof value).toBe('string');
  }
});

test('a vendor failure gives availableAgents "" (not "0"), the error kind, and the queue policy', async () => {
  const answer = await answerContactFlow(runtime(), contactFlowEvent({ queue: 'lenient' }));
  expect(answer).toMatchObject({ canTransfer: 'true', availableAgents: '', reason: 'vendor_error', vendorError: 'server' });
});

test('a missing, blank or malformed queue parameter is invalid_request, with what to fix', async () => {
  const cases: Array<Record<string, string>> = [{}, { queue: '  ' }, { queue: 'Not A Queue!' }];
  for (const parameters of cases) {
    const answer = await answerContactFlow(runtime(), contactFlowEvent(parameters));
    expect(answer).toMatchObject({ canTransfer: 'false', availableAgents: '', reason: 'invalid_request', queue: '' });
    expect(answer.message).toContain('"queue"');
  }
});

test('an event without Details is invalid_request, not a crash', async () => {
  const answer = await answerContactFlow(runtime(), { Name: 'ContactFlowEvent' } as never);
  expect(answer).toMatchObject({ canTransfer: 'false', reason: 'invalid_request' });
});

test('an unknown queue is queue_not_found and echoes the id', async () => {
  expect(await answerContactFlow(runtime(), contactFlowEvent({ queue: 'nope' }))).toMatchObject({
    canTransfer: 'false',
    reason: 'queue_not_found',
    queue: 'nope',
  });
});

test('a failure inside the gate is still an answer the flow can branch on', async () => {
  const broken = runtime();
  broken.gate.check = async () => {
    throw new Error('unexpected');
  };
  expect(await answerContactFlow(broken, contactFlowEvent({ queue: 'support' }))).toMatchObject({
    canTransfer: 'false',
    reason: 'internal_error',
    availableAgents: '',
  });
});

test('toContactFlowAnswer keeps 0 agents as "0" when the vendor really said 0', () => {
  const decision: Decision = {
    queue: 'support',
    canTransfer: false,
    reason: 'not_enough_agents',
    availableAgents: 0,
    minAvailable: 1,
    vendor: 'aloware',
    source: 'cache',
    checkedAt: '2026-11-22T10:00:00.000Z',
    ageMs: 10,
  };
  expect(toContactFlowAnswer(decision)).toMatchObject({ availableAgents: '0', canTransfer: 'false', source: 'cache' });
});

test('the handler logs as Amazon Connect with the contact id and the queue', async () => {
  const handler = createConnectHandler(() => runtime());
  const answer = await handler(contactFlowEvent({ queue: 'support' }), lambdaContext());
  expect(answer.canTransfer).toBe('true');
  const line = logs
    .text()
    .split('\n')
    .filter((text) => text.startsWith('{'))
    .map((text) => JSON.parse(text))
    .find((entry) => entry.message === 'availability');
  expect(line).toMatchObject({ caller: 'amazon-connect', contactId: '4a573372-1f28-4e26-b97b-2a6b1c9e0d11', queue: 'support', canTransfer: true });
});

describe('routes and destinations', () => {
  test("a route passes state and the callerId to its members: callerState on the chosen member's answer, limits at placement, a callerId a limited member needs", async () => {
    const limited = parseGateConfig({
      queues: [
        { id: 'texas', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, geo: { states: ['TX'] } },
        { id: 'capped', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, holdMs: 30_000, limits: { transfersPerHour: 1 } },
      ],
      routes: { south: { queues: ['texas'] }, limited: { queues: ['capped'] } },
    });
    const gate = createRuntime({ config: limited, secretSource: fakeSecretSource({ 'tg/aloware': { apiToken: alowareToken } }), fetch: vendorFetch() });
    expect(await answerContactFlow(gate, contactFlowEvent({ route: 'south', state: 'tx' }))).toMatchObject({
      route: 'south',
      queue: 'texas',
      canTransfer: 'true',
      callerState: 'TX',
      limit: '',
    });
    expect(await answerContactFlow(gate, contactFlowEvent({ route: 'south', state: 'CA' }))).toMatchObject({
      route: 'south',
      queue: '',
      reason: 'no_queue_available',
    });
    expect(await answerContactFlow(gate, contactFlowEvent({ route: 'south', state: 'XX' }))).toMatchObject({ route: 'south', reason: 'invalid_request' });
    expect(await answerContactFlow(gate, contactFlowEvent({ route: 'limited' }))).toMatchObject({ route: 'limited', reason: 'invalid_request' });
    expect(await answerContactFlow(gate, contactFlowEvent({ route: 'limited', callerId: '+15550001111' }))).toMatchObject({
      queue: 'capped',
      canTransfer: 'true',
    });
    expect(await answerContactFlow(gate, contactFlowEvent({ route: 'limited', callerId: '+15550002222' }))).toMatchObject({
      queue: '',
      reason: 'no_queue_available',
    });
  });

  const allKeys = async () => Object.keys(await answerContactFlow(runtime(), contactFlowEvent({ queue: 'support' }))).sort();

  test('Parameters.route answers the chosen queue with route, transferTo and expiresInSeconds; never payout or tried', async () => {
    const answer = await answerContactFlow(runtime(), contactFlowEvent({ route: 'held-first', callerId: '+15550001111' }));
    expect(answer).toMatchObject({ route: 'held-first', queue: 'held', canTransfer: 'true', transferTo: '+15551230000', heldAgents: '0' });
    expect(Number(answer.expiresInSeconds)).toBeGreaterThanOrEqual(29);
    expect(answer).not.toHaveProperty('payout');
    expect(answer).not.toHaveProperty('tried');
    expect(Object.keys(answer).sort()).toEqual(await allKeys());
  });

  test('a route without a yes: no_queue_available, queue "", and the same keys', async () => {
    const answer = await answerContactFlow(runtime(), contactFlowEvent({ route: 'nowhere' }));
    expect(answer).toMatchObject({ route: 'nowhere', queue: '', canTransfer: 'false', reason: 'no_queue_available', transferTo: '', expiresInSeconds: '' });
    expect(Object.keys(answer).sort()).toEqual(await allKeys());
  });

  test('a queue answer has route "" and its transferTo only on a yes; limit and callerState are always there', async () => {
    const yes = await answerContactFlow(runtime(), contactFlowEvent({ queue: 'held' }));
    expect(yes).toMatchObject({ route: '', transferTo: '+15551230000', expiresInSeconds: '', limit: '', callerState: '' });
    const no = await answerContactFlow(runtime(), contactFlowEvent({ queue: 'down' }));
    expect(no).toMatchObject({ canTransfer: 'false', transferTo: '' });
  });

  test('queue and route both given is invalid_request; an unknown route is queue_not_found', async () => {
    const both = await answerContactFlow(runtime(), contactFlowEvent({ queue: 'held', route: 'held-first' }));
    expect(both).toMatchObject({ reason: 'invalid_request', queue: '', route: '' });
    expect(both.message).toContain('not both');
    expect(await answerContactFlow(runtime(), contactFlowEvent({ route: 'missing' }))).toMatchObject({ reason: 'queue_not_found', route: 'missing' });
    // An empty parameter counts as none: a flow passes "" for an unset attribute.
    expect(await answerContactFlow(runtime(), contactFlowEvent({ queue: '', route: 'nowhere' }))).toMatchObject({ reason: 'no_queue_available' });
  });
});
