import { createScheduledHandler } from '../../../functions/scheduled/handler';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { createRuntime } from '../../../shared/runtime';
import { defaultScheduledCheckConcurrency, scheduledCheckConcurrency } from '../../../shared/scheduled/check-concurrency';
import { lambdaContext } from '../../support/api-gateway-event';
import { fakeFetch, jsonReply } from '../../support/fake-fetch';
import { fakeSecretSource } from '../../support/fake-secrets';

/** 20 queues on one vendor whose every answer takes a few ms; counts the reads in flight at once. */
async function peakReadsInFlight(): Promise<{ peak: number; calls: number }> {
  let inFlight = 0;
  let peak = 0;
  const fetch = fakeFetch(async () => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight -= 1;
    return jsonReply({ available_users_count: 2 });
  });
  const config = parseGateConfig({
    queues: Array.from({ length: 20 }, (_, index) => ({ id: `q${index}`, vendor: 'aloware', secret: 'tg/aloware', ringGroupId: index + 1 })),
  });
  const runtime = createRuntime({ config, secretSource: fakeSecretSource({ 'tg/aloware': { apiToken: 't' } }), fetch });
  const summary = await createScheduledHandler(() => runtime)({}, lambdaContext());
  expect(summary).toMatchObject({ queues: 20, canTransfer: 20, failures: 0 });
  return { peak, calls: fetch.calls.length };
}

afterEach(() => {
  delete process.env.SCHEDULED_CHECK_CONCURRENCY;
});

test('the scheduled check reads at most 8 queues at once by default, and still reads every queue', async () => {
  await expect(peakReadsInFlight()).resolves.toEqual({ peak: defaultScheduledCheckConcurrency, calls: 20 });
});

test('SCHEDULED_CHECK_CONCURRENCY sets the bound', async () => {
  process.env.SCHEDULED_CHECK_CONCURRENCY = '3';
  await expect(peakReadsInFlight()).resolves.toEqual({ peak: 3, calls: 20 });
});

test.each([
  [undefined, 8],
  ['', 8],
  ['1', 1],
  [' 16 ', 16],
  ['64', 64],
  ['65', 8],
  ['0', 8],
  ['-2', 8],
  ['2.5', 8],
  ['eight', 8],
])('SCHEDULED_CHECK_CONCURRENCY=%p -> %p', (raw, expected) => {
  expect(scheduledCheckConcurrency(raw === undefined ? {} : { SCHEDULED_CHECK_CONCURRENCY: raw })).toBe(expected);
});
