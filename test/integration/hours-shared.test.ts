import '../support/warn-logs';
/**
 * An override set on one gate holds on another gate on the same DynamoDB endpoint within 2 s
 * (docs/operators/hours-and-overrides.md), although the other gate holds a fresh vendor reading in memory:
 * two runtimes, each with its own client and container memory, on one in-process dynalite table.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../../functions/http/handler';
import { callerEntry, freePorts } from '../support/local-gate';
import { proxyEvent, lambdaContext } from '../support/api-gateway-event';
import { type SharedGates, startSharedGates } from '../support/two-gates';

const adminKey = 'hours-shared-admin-key-0123456789';
let gates: SharedGates;

beforeAll(async () => {
  const [port] = await freePorts(1);
  gates = await startSharedGates({
    gates: 2,
    callerKey: adminKey,
    storeBudgetMs: 1_000,
    config: {
      // A reading stays fresh for a minute: only the override check can close the queue meanwhile.
      defaults: { cacheTtlMs: 60_000 },
      queues: [{ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: `http://127.0.0.1:${port}` }],
    },
    secrets: {
      'transfer-gate/callers': { callers: [{ ...callerEntry('ops', adminKey, ['*']), admin: true }] },
      'tg/aloware': { apiToken: 'aloware-token' },
    },
  });
});
afterAll(() => gates?.close());

async function override(gate: number, method: 'PUT' | 'DELETE', body?: unknown): Promise<number> {
  const event = proxyEvent('/v1/queues/{id}/override', '/v1/queues/support/override', { id: 'support' }, { method, headers: { 'x-api-key': adminKey } });
  if (body !== undefined) event.body = JSON.stringify(body);
  const handler = createHttpHandler(() => gates.runtimes[gate]!);
  return ((await handler(event, lambdaContext())) as APIGatewayProxyResult).statusCode;
}

/** Asks gate `gate` until the answer's reason is `reason`; the ms that took. */
async function msUntil(gate: number, reason: string): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 5_000) {
    if ((await gates.ask(gate, 'support')).json.reason === reason) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gate ${gate} did not answer ${reason} within 5 s`);
}

it('an override set on one gate holds on the other within 2 s, and so does its end', async () => {
  // Both gates hold a fresh reading and have looked the override up (none).
  expect((await gates.ask(0, 'support')).json.reason).toBe('agents_available');
  expect((await gates.ask(1, 'support')).json.reason).toBe('agents_available');
  const calls = gates.simulators.get('support')!.calls();

  expect(await override(0, 'PUT', { state: 'closed', note: 'storm' })).toBe(200);
  expect((await gates.ask(0, 'support')).json.reason).toBe('closed'); // the writer at once
  expect(await msUntil(1, 'closed')).toBeLessThan(2_000);

  expect(await override(1, 'DELETE')).toBe(204);
  expect(await msUntil(0, 'agents_available')).toBeLessThan(2_000);
  // Neither the closure nor the reopening called the vendor: the readings were still fresh.
  expect(gates.simulators.get('support')!.calls()).toBe(calls);
}, 20_000);
