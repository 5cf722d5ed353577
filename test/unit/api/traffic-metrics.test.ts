// Must stay the first import: turns log lines on before shared/logger loads.
import '../../support/verbose-logs';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createConnectHandler } from '../../../functions/connect/handler';
import { createHttpHandler } from '../../../functions/http/handler';
import { trafficRecorder } from '../../../shared/api/traffic-metrics';
import { hashKey } from '../../../shared/callers';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { createRuntime } from '../../../shared/runtime';
import { metricsNamespace, metricsServiceName } from '../../../shared/scheduled/metric-names';
import { availabilityEvent, lambdaContext, proxyEvent } from '../../support/api-gateway-event';
import { fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';
import { captureLogs } from '../../support/logs';
import { contactFlowEvent } from '../../infra/support/contact-flow-event';

const acmeKey = 'SENTINEL-ACME-KEY-traffic-1';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  expect(logs.text()).not.toContain(acmeKey);
});

const emf = () =>
  logs
    .text()
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line));

const metrics = () => new Metrics({ namespace: metricsNamespace, serviceName: metricsServiceName });
const recorder = () => trafficRecorder(metrics(), metrics());

describe('trafficRecorder', () => {
  it('a yes: one EMF object, Answers and YesAnswers under [queue] and [seller] apart, no reason', () => {
    recorder().answered('sales', 'acme-leads', true, 'agents_available');
    const lines = emf();
    expect(lines).toHaveLength(1);
    expect(lines[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'TransferGate',
      Dimensions: [
        ['service', 'queue'],
        ['service', 'seller'],
      ],
      Metrics: [
        { Name: 'Answers', Unit: 'Count' },
        { Name: 'YesAnswers', Unit: 'Count' },
      ],
    });
    expect(lines[0]).toMatchObject({ service: 'transfer-gate', queue: 'sales', seller: 'acme-leads', Answers: 1, YesAnswers: 1 });
  });

  it('a no: YesAnswers 0, then Refusals under [queue, reason] and [seller, reason]', () => {
    recorder().answered('sales', 'acme-leads', false, 'closed');
    const [answer, refusal] = emf();
    expect(answer).toMatchObject({ Answers: 1, YesAnswers: 0 });
    expect(refusal._aws.CloudWatchMetrics[0]).toMatchObject({
      Dimensions: [
        ['service', 'reason', 'queue'],
        ['service', 'reason', 'seller'],
      ],
      Metrics: [{ Name: 'Refusals' }],
    });
    expect(refusal).toMatchObject({ queue: 'sales', seller: 'acme-leads', reason: 'closed', Refusals: 1 });
    expect(refusal).not.toHaveProperty('Answers');
  });

  it('refusals for different reasons, one after another, each carry their own reason; nothing is warned', () => {
    const traffic = recorder();
    traffic.answered('sales', 'acme-leads', false, 'closed');
    traffic.answered('support', 'ivr', false, 'vendor_error');
    traffic.answered('support', 'ivr', true, 'agents_available');
    expect(
      emf()
        .filter((line) => line.Refusals)
        .map((line) => [line.queue, line.seller, line.reason]),
    ).toEqual([
      ['sales', 'acme-leads', 'closed'],
      ['support', 'ivr', 'vendor_error'],
    ]);
    expect(emf()[4]).not.toHaveProperty('reason');
    expect(logs.text()).not.toMatch(/collision|defined as both/);
  });

  it('a refused ping counts as a no with reason rate_limited', () => {
    recorder().rateLimited('sales', 'acme-leads');
    expect(emf()[1]).toMatchObject({ reason: 'rate_limited', Refusals: 1 });
  });
});

describe('the availability route counts every answer', () => {
  const config = parseGateConfig({ queues: [{ id: 'sales', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }] });
  const secrets = {
    'transfer-gate/callers': { callers: [{ name: 'acme-leads', keySha256: hashKey(acmeKey), queues: ['*'] }] },
    'tg/aloware': { apiToken: 'token' },
  };

  it('by queue and by seller, with the refusal reason, one request after another', async () => {
    let available = 2;
    const fetch = fakeFetch(() => jsonReply({ available_users_count: available }));
    let now = Date.parse('2026-12-03T10:00:00Z');
    const runtime = createRuntime({ config, secretSource: fakeSecretSource(secrets), fetch, now: () => now });
    const handler = createHttpHandler(() => runtime);
    const ask = async () => (await handler(availabilityEvent('sales', { headers: { 'x-api-key': acmeKey } }), lambdaContext())) as APIGatewayProxyResult;
    expect((await ask()).statusCode).toBe(200);
    available = 0;
    now += 10_000;
    expect((await ask()).statusCode).toBe(200);
    const lines = emf();
    expect(lines.map((line) => [line.Answers, line.YesAnswers, line.Refusals, line.reason])).toEqual([
      [1, 1, undefined, undefined],
      [1, 0, undefined, undefined],
      [undefined, undefined, 1, 'not_enough_agents'],
    ]);
    expect(lines.every((line) => line.queue === 'sales' && line.seller === 'acme-leads')).toBe(true);
  });

  it('a route answer is counted once, under the route id (not its members)', async () => {
    const routed = parseGateConfig({
      queues: [
        { id: 'sales', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
        { id: 'spare', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2 },
      ],
      routes: { medicare: { queues: ['sales', 'spare'] } },
    });
    const runtime = createRuntime({ config: routed, secretSource: fakeSecretSource(secrets), fetch: fakeFetch(() => jsonReply({ available_users_count: 0 })) });
    const event = proxyEvent('/v1/routes/{id}/availability', '/v1/routes/medicare/availability', { id: 'medicare' }, { headers: { 'x-api-key': acmeKey } });
    expect(((await createHttpHandler(() => runtime)(event, lambdaContext())) as APIGatewayProxyResult).statusCode).toBe(200);
    expect(emf().map((line) => [line.queue, line.Answers, line.Refusals, line.reason])).toEqual([
      ['medicare', 1, undefined, undefined],
      ['medicare', undefined, 1, 'no_queue_available'],
    ]);
  });

  it('Amazon Connect answers are counted too, as the seller amazon-connect', async () => {
    const runtime = createRuntime({ config, secretSource: fakeSecretSource(secrets), fetch: fakeFetch(() => jsonReply({ available_users_count: 1 })) });
    await createConnectHandler(() => runtime)(contactFlowEvent({ queue: 'sales' }), lambdaContext());
    expect(emf()).toEqual([expect.objectContaining({ queue: 'sales', seller: 'amazon-connect', Answers: 1, YesAnswers: 1 })]);
  });

  it("refusals by the call's own reasons (geography, duplicates, limits) and refused pings are counted by reason, under [queue] and [seller] apart", async () => {
    const limitsConfig = parseGateConfig({
      defaults: { holdMs: 30_000 },
      queues: [
        { id: 'az', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, geo: { states: ['AZ'] } },
        { id: 'capped', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2, limits: { transfersPerHour: 1 } },
        { id: 'once', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 3, duplicates: { windowHours: 72 } },
      ],
    });
    const limitsSecrets = {
      'transfer-gate/callers': {
        callers: [
          { name: 'acme-leads', keySha256: hashKey(acmeKey), queues: ['*'], limits: { pingsPerMinute: 5 } },
          { name: 'lone-seller', keySha256: hashKey('SENTINEL-LONE-KEY-traffic-2'), queues: ['*'], limits: { maxHolds: 1 } },
        ],
      },
      'tg/aloware': { apiToken: 'token' },
    };
    const runtime = createRuntime({
      config: limitsConfig,
      secretSource: fakeSecretSource(limitsSecrets),
      fetch: fakeFetch(() => jsonReply({ available_users_count: 5 })),
      now: () => Date.parse('2026-12-03T10:00:10Z'),
    });
    const handler = createHttpHandler(() => runtime);
    const ask = async (queue: string, query: Record<string, string>, key = acmeKey) =>
      ((await handler(availabilityEvent(queue, { headers: { 'x-api-key': key }, query }), lambdaContext())) as APIGatewayProxyResult).statusCode;
    expect(await ask('az', { state: 'TX' })).toBe(200); // outside_area
    expect(await ask('capped', { callerId: '+12015550101' })).toBe(200); // yes
    expect(await ask('capped', { callerId: '+12015550102' })).toBe(200); // queue_limit
    expect(await ask('once', { callerId: '+12015550103' })).toBe(200); // yes
    expect(await ask('once', { callerId: '+12015550103' }, 'SENTINEL-LONE-KEY-traffic-2')).toBe(200); // duplicate_caller
    expect(await ask('once', { callerId: '+12015550104' })).toBe(200); // yes (the 5th ping)
    expect(await ask('az', { state: 'AZ' })).toBe(429); // the 6th: rate_limited
    const refusals = emf().filter((line) => line.Refusals === 1);
    expect(refusals.map((line) => [line.queue, line.seller, line.reason])).toEqual([
      ['az', 'acme-leads', 'outside_area'],
      ['capped', 'acme-leads', 'queue_limit'],
      ['once', 'lone-seller', 'duplicate_caller'],
      ['az', 'acme-leads', 'rate_limited'],
    ]);
    for (const line of refusals)
      expect(line._aws.CloudWatchMetrics[0].Dimensions).toEqual([
        ['service', 'reason', 'queue'],
        ['service', 'reason', 'seller'],
      ]);
    expect(emf().filter((line) => line.Answers === 1)).toHaveLength(7);
    expect(logs.text()).not.toContain('SENTINEL-LONE-KEY');
  });

  it('an unauthenticated request is not an answer and is not counted (only as a refused key)', async () => {
    const runtime = createRuntime({ config, secretSource: fakeSecretSource(secrets), fetch: fakeFetch(() => jsonReply({})) });
    const result = (await createHttpHandler(() => runtime)(availabilityEvent('sales'), lambdaContext())) as APIGatewayProxyResult;
    expect(result.statusCode).toBe(401);
    expect(emf().filter((line) => !('UnauthorizedRequests' in line))).toEqual([]);
  });
});
