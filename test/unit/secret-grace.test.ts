// Must stay the first import: turns log lines on before shared/logger loads.
import '../support/verbose-logs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../../functions/http/handler';
import { hashKey } from '../../shared/callers';
import { parseGateConfig } from '../../shared/config/gate-config';
import { createRuntime } from '../../shared/runtime';
import { secretStaleGraceMs } from '../../shared/secrets';
import { availabilityEvent, lambdaContext } from '../support/api-gateway-event';
import { manualClock } from '../support/clock';
import { fakeFetch, jsonReply } from '../support/fake-fetch';
import { fakeSecretSource } from '../support/fake-secrets';
import { captureLogs } from '../support/logs';

// Issue 7 point 10: a deleted secret is used for a bounded time, every failed refresh is logged, then the gate fails closed.
const callerKey = 'SENTINEL-CALLER-KEY-0b7e';
const calltoolsKey = 'SENTINEL-CALLTOOLS-KEY-5a11';
const config = parseGateConfig({ queues: [{ id: 'sales', vendor: 'calltools', secret: 'tg/calltools', silo: 'east-2', queueId: '1' }] });
const minute = 60_000;

function gate() {
  const values: Record<string, unknown> = {
    'transfer-gate/callers': { callers: [{ name: 'ivr', keySha256: hashKey(callerKey), queues: ['*'] }] },
    'tg/calltools': { apiKey: calltoolsKey },
  };
  const clock = manualClock();
  const fetch = fakeFetch(() => jsonReply({ count: 3 }));
  const runtime = createRuntime({ config, secretSource: fakeSecretSource(values), fetch, now: clock.now });
  const handler = createHttpHandler(() => runtime);
  return {
    clock,
    fetch,
    remove: (name: string) => delete values[name],
    async ask(): Promise<{ status: number; body: Record<string, unknown> }> {
      const result: APIGatewayProxyResult = await handler(availabilityEvent('sales', { headers: { 'x-api-key': callerKey } }), lambdaContext());
      return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
    },
  };
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  for (const secret of [callerKey, calltoolsKey]) expect(logs.text()).not.toContain(secret);
});

const refreshLogs = () =>
  logs
    .text()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.message === 'secret refresh rejected');

describe('a deleted secret', () => {
  it('the callers secret: old keys work for 15 minutes after the last read, then the API answers 500 internal_error', async () => {
    const { clock, remove, ask } = gate();
    expect((await ask()).status).toBe(200);
    remove('transfer-gate/callers');
    clock.advance(10 * minute);
    expect((await ask()).status).toBe(200);
    clock.advance(secretStaleGraceMs - 10 * minute);
    expect(await ask()).toEqual({ status: 500, body: { error: 'internal_error', message: 'the gate could not answer; try again' } });
    clock.advance(60 * minute);
    expect((await ask()).status).toBe(500);
    const refreshes = refreshLogs();
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    for (const line of refreshes) expect(line.detail).toMatch(/^cannot read secret "transfer-gate\/callers": ResourceNotFoundException; /);
    expect(refreshes.at(-1)!.detail).toMatch(/no longer used$/);
  });

  it('a vendor secret: checks go on for 15 minutes, then the answer is vendor_error auth and the vendor is not called', async () => {
    const { clock, fetch, remove, ask } = gate();
    expect((await ask()).body).toMatchObject({ canTransfer: true, availableAgents: 3 });
    remove('tg/calltools');
    clock.advance(14 * minute);
    expect((await ask()).body).toMatchObject({ canTransfer: true });
    const callsBefore = fetch.calls.length;
    clock.advance(minute);
    expect((await ask()).body).toMatchObject({ canTransfer: false, reason: 'vendor_error', vendorError: 'auth' });
    expect(fetch.calls).toHaveLength(callsBefore);
    expect(refreshLogs().some((line) => /^cannot read secret "tg\/calltools".*no longer used$/.test(String(line.detail)))).toBe(true);
  });
});
