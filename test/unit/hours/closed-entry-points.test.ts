// Must stay the first import: turns log lines on before shared/logger loads.
import '../../support/verbose-logs';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { answerContactFlow } from '../../../shared/connect/contact-flow';
import { createRuntime } from '../../../shared/runtime';
import { checkAllQueues } from '../../../shared/scheduled/check-all';
import { metricsNamespace } from '../../../shared/scheduled/metric-names';
import { manualClock } from '../../support/clock';
import { fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';
import { captureLogs } from '../../support/logs';
import { contactFlowEvent } from '../../infra/support/contact-flow-event';

// Sunday 2026-11-22 10:00 UTC: "weekdays" is closed until Monday 09:00, "sundays" is open until 12:00.
const config = parseGateConfig({
  schedules: {
    weekdays: { timeZone: 'UTC', weekly: { mon: [['09:00', '17:00']] } },
    sundays: { timeZone: 'UTC', weekly: { sun: [['09:00', '12:00']] } },
  },
  queues: [
    { id: 'closed', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, schedule: 'weekdays' },
    { id: 'open', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2, schedule: 'sundays' },
  ],
});

function setup() {
  const clock = manualClock();
  const fetch = fakeFetch(() => jsonReply({ available_users_count: 3 }));
  const runtime = createRuntime({ config, secretSource: fakeSecretSource({ 'tg/aloware': { apiToken: 't' } }), fetch, now: clock.now });
  const ringGroups = () => fetch.calls.map((call) => call.url.searchParams.get('ring_group_id'));
  return { runtime, fetch, ringGroups };
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());
const jsonLines = (): Array<Record<string, any>> =>
  logs
    .text()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));

describe('Amazon Connect', () => {
  it('a closed queue: reason closed, opensAt, closesAt "", no vendor call', async () => {
    const { runtime, ringGroups } = setup();
    const answer = await answerContactFlow(runtime, contactFlowEvent({ queue: 'closed' }));
    expect(answer).toMatchObject({
      queue: 'closed',
      canTransfer: 'false',
      availableAgents: '',
      reason: 'closed',
      opensAt: '2026-11-23T09:00:00.000Z',
      closesAt: '',
      vendorError: '',
    });
    expect(ringGroups()).toEqual([]);
  });

  it('an open scheduled queue: closesAt, opensAt ""', async () => {
    const { runtime } = setup();
    const answer = await answerContactFlow(runtime, contactFlowEvent({ queue: 'open' }));
    expect(answer).toMatchObject({ canTransfer: 'true', reason: 'agents_available', opensAt: '', closesAt: '2026-11-22T12:00:00.000Z' });
  });
});

describe('the scheduled check', () => {
  it('reports a closed queue as closed without calling its vendor; its metrics: CanTransfer 0, Closed 1, no VendorErrors', async () => {
    const { runtime, ringGroups } = setup();
    const summary = await checkAllQueues(runtime, new Metrics({ namespace: metricsNamespace, serviceName: 'transfer-gate' }));
    expect(summary).toMatchObject({ queues: 2, canTransfer: 1, vendorErrors: 0, failures: 0 });
    expect(ringGroups()).toEqual(['2']);
    const line = jsonLines().find((entry) => entry.message === 'scheduled check' && entry.queue === 'closed');
    expect(line).toMatchObject({ reason: 'closed', canTransfer: false, closedBy: 'schedule', opensAt: '2026-11-23T09:00:00.000Z' });
    expect(line).not.toHaveProperty('latencyMs');
    const emf = jsonLines().filter((entry) => entry._aws);
    const closed = emf.find((entry) => entry.queue === 'closed');
    expect(closed).toMatchObject({ CanTransfer: 0, Closed: 1 });
    expect(closed).not.toHaveProperty('VendorErrors');
    expect(closed).not.toHaveProperty('AvailableAgents');
    expect(closed).not.toHaveProperty('VendorLatency');
    expect(emf.find((entry) => entry.queue === 'open')).toMatchObject({ CanTransfer: 1, Closed: 0, VendorErrors: 0 });
  });
});
