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
  ],
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
  expect(answer).toMatchObject({ queue: 'support', canTransfer: 'true', availableAgents: '3', reason: 'agents_available', minAvailable: '2', vendor: 'aloware', source: 'live', vendorError: '', message: '' });
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
  const gate = createRuntime({ config: limited, secretSource: fakeSecretSource({ 'tg/aloware': { apiToken: alowareToken } }), fetch: vendorFetch(), store: new MemoryStore() });
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
  expect(await answerContactFlow(runtime(), contactFlowEvent({ queue: 'nope' }))).toMatchObject({ canTransfer: 'false', reason: 'queue_not_found', queue: 'nope' });
});

test('a failure inside the gate is still an answer the flow can branch on', async () => {
  const broken = runtime();
  broken.gate.check = async () => {
    throw new Error('unexpected');
  };
  expect(await answerContactFlow(broken, contactFlowEvent({ queue: 'support' }))).toMatchObject({ canTransfer: 'false', reason: 'internal_error', availableAgents: '' });
});

test('toContactFlowAnswer keeps 0 agents as "0" when the vendor really said 0', () => {
  const decision: Decision = {
    queue: 'support', canTransfer: false, reason: 'not_enough_agents', availableAgents: 0, minAvailable: 1,
    vendor: 'aloware', source: 'cache', checkedAt: '2026-11-22T10:00:00.000Z', ageMs: 10,
  };
  expect(toContactFlowAnswer(decision)).toMatchObject({ availableAgents: '0', canTransfer: 'false', source: 'cache' });
});

test('the handler logs as Amazon Connect with the contact id and the queue', async () => {
  const handler = createConnectHandler(() => runtime());
  const answer = await handler(contactFlowEvent({ queue: 'support' }), lambdaContext());
  expect(answer.canTransfer).toBe('true');
  const line = logs.text().split('\n').filter((text) => text.startsWith('{')).map((text) => JSON.parse(text)).find((entry) => entry.message === 'availability');
  expect(line).toMatchObject({ caller: 'amazon-connect', contactId: '4a573372-1f28-4e26-b97b-2a6b1c9e0d11', queue: 'support', canTransfer: true });
});
