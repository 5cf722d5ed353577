/**
 * The HTTP function counts every request it refuses for a missing or unknown key as the
 * UnauthorizedRequests metric (EMF), which the stack's alarm watches; other answers count nothing.
 */
import '../../support/warn-logs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../../../functions/http/handler';
import { unauthorizedRequestsMetric } from '../../../shared/api/unauthorized-metric';
import { hashKey } from '../../../shared/callers';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { createRuntime } from '../../../shared/runtime';
import { availabilityEvent, healthEvent, lambdaContext } from '../../support/api-gateway-event';
import { fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';
import { captureLogs } from '../../support/logs';

const key = 'SENTINEL-KEY-metric';
const config = parseGateConfig({ queues: [{ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }] });
const secrets = { 'transfer-gate/callers': { callers: [{ name: 'acme', keySha256: hashKey(key), queues: ['support'] }] }, 'tg/aloware': { apiToken: 'token' } };
const runtime = createRuntime({
  config,
  secretSource: fakeSecretSource(secrets),
  fetch: fakeFetch(() => jsonReply({ available_users_count: 2, total_users_count: 5 })),
});
const handler = createHttpHandler(() => runtime);

/** The EMF lines written while `events` were answered, and the answers' statuses. */
async function emfLinesFor(events: ReturnType<typeof availabilityEvent>[]) {
  const logs = captureLogs();
  const statuses: number[] = [];
  try {
    for (const event of events) statuses.push(((await handler(event, lambdaContext())) as APIGatewayProxyResult).statusCode);
  } finally {
    logs.restore();
  }
  const lines = logs
    .text()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  return { statuses, emf: lines.filter((line) => line._aws) };
}

test('one UnauthorizedRequests count per 401: no key, and a key that matches no caller', async () => {
  const { statuses, emf } = await emfLinesFor([availabilityEvent('support'), availabilityEvent('support', { headers: { 'x-api-key': 'not-a-caller' } })]);
  expect(statuses).toEqual([401, 401]);
  expect(emf).toHaveLength(2);
  for (const line of emf) {
    expect(line._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: 'TransferGate',
      Dimensions: [['service']],
      Metrics: [{ Name: unauthorizedRequestsMetric, Unit: 'Count' }],
    });
    expect(line).toMatchObject({ service: 'transfer-gate', [unauthorizedRequestsMetric]: 1 });
    expect(JSON.stringify(line)).not.toContain('not-a-caller');
  }
});

test('answers other than 401 count no refused key (an answer counts as traffic only)', async () => {
  const { statuses, emf } = await emfLinesFor([
    healthEvent(),
    availabilityEvent('support', { headers: { 'x-api-key': key } }),
    availabilityEvent('nope', { headers: { 'x-api-key': key } }),
  ]);
  expect(statuses).toEqual([200, 200, 404]);
  expect(emf.filter((line) => unauthorizedRequestsMetric in line)).toEqual([]);
  expect(emf).toHaveLength(1);
  expect(emf[0]).toMatchObject({ Answers: 1, queue: 'support' });
});
