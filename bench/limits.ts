/**
 * `npx tsx bench/limits.ts [requests]`: what sellers' and queues' limits, duplicates and geography
 * add to an availability answer (docs/operators/limits.md), cached (a reading in the container's
 * memory) and live (cacheTtlMs 0: every answer reads the vendor, a fake fetch answering at once).
 * - Table: two gates on an in-process dynalite behind bench/table-proxy.ts (5 ms per call, a
 *   network hop); per case, table calls per request by target, the sequential round trips, and
 *   the median answer time.
 * - Memory: the same cases on the memory store (no table), CPU µs per answer of the handler.
 * Each request names a new callerId (a new transfer); limits are set high enough never to refuse.
 * Not part of `npm run bench`; not run by tests.
 */
import './quiet-logs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../functions/http/handler';
import { localDynamoClient, startEmbeddedDynamo } from '../local/dynamodb';
import { hashKey } from '../shared/callers';
import { parseGateConfig } from '../shared/config/gate-config';
import { createRuntime, tableStateStore } from '../shared/runtime';
import { createStateTable } from '../shared/state/dynamodb-store';
import { MemoryStore } from '../shared/state/memory-store';
import type { StateStore } from '../shared/state/store';
import { availabilityEvent, lambdaContext } from '../test/support/api-gateway-event';
import { fakeSecretSource } from '../test/support/fake-secrets';
import { countingProxy, sequentialDepth } from './table-proxy';

const requests = Number(process.argv[2] ?? 20);
const high = 1_000_000;

/** [case, queue policy, seller limits, sends a callerId]. */
const cases: Array<[string, Record<string, unknown>, Record<string, number> | undefined, boolean]> = [
  ['no holds, seller without limits', { holdMs: 0 }, undefined, false],
  ['no holds, geo (callerId area code)', { holdMs: 0, geo: { states: ['NJ'] } }, undefined, true],
  ['no holds, seller pingsPerMinute', { holdMs: 0 }, { pingsPerMinute: high }, false],
  ['holds, seller without limits (baseline of a hold)', {}, undefined, true],
  ['holds, seller maxHolds 100', {}, { maxHolds: 100 }, true],
  ['holds, seller transfersPerHour', {}, { transfersPerHour: high }, true],
  ['holds, seller transfersPerDay', {}, { transfersPerDay: high }, true],
  ['holds, queue transfersPerHour + transfersPerDay', { limits: { transfersPerHour: high, transfersPerDay: high } }, undefined, true],
  ['holds, duplicates', { duplicates: { windowHours: 24 } }, undefined, true],
  [
    'holds, all of them',
    { limits: { transfersPerHour: high }, duplicates: { windowHours: 24 }, geo: { states: ['NJ'] } },
    { maxHolds: 100, transfersPerHour: high, transfersPerDay: high, pingsPerMinute: high },
    true,
  ],
];

const body = JSON.stringify({ available_users_count: high, total_users_count: high });
const fetch = (async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })) as typeof globalThis.fetch;
const keyOf = (index: number) => `limits-bench-key-${index}-0123456789`;

function configFor() {
  const queues = cases.flatMap(([, policy], index) =>
    ['cached', 'live'].map((mode) => ({
      id: `q${index}-${mode}`,
      vendor: 'aloware',
      secret: 'tg/a',
      ringGroupId: 1,
      holdMs: 60_000,
      cacheTtlMs: mode === 'live' ? 0 : 600_000,
      ...policy,
    })),
  );
  const callers = cases.map(([, , limits], index) => ({ name: `seller-${index}`, keySha256: hashKey(keyOf(index)), queues: ['*'], ...(limits && { limits }) }));
  return { config: parseGateConfig({ queues }), secrets: { 'transfer-gate/callers': { callers }, 'tg/a': { apiToken: 't' } } };
}

type Handler = ReturnType<typeof createHttpHandler>;
let callerIds = 0;

async function answer(handler: Handler, index: number, mode: string, withCallerId: boolean) {
  const query: Record<string, string> = withCallerId ? { callerId: `+1201${String((callerIds += 1)).padStart(7, '0')}` } : {};
  const result = (await handler(
    availabilityEvent(`q${index}-${mode}`, { headers: { 'x-api-key': keyOf(index) }, query }),
    lambdaContext(),
  )) as APIGatewayProxyResult;
  if (result.statusCode !== 200 || !JSON.parse(result.body).canTransfer) throw new Error(`case ${index} ${mode}: ${result.statusCode} ${result.body}`);
}

function handlerOn(store: StateStore, owner: string, now?: () => number) {
  const { config, secrets } = configFor();
  const runtime = createRuntime({ config, secretSource: fakeSecretSource(secrets), fetch, store, owner, ...(now && { now }) });
  return createHttpHandler(() => runtime);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function tableRows() {
  const dynamo = await startEmbeddedDynamo();
  const setup = localDynamoClient(dynamo.endpoint);
  await createStateTable(setup, 'limits-bench');
  setup.destroy();
  const proxy = await countingProxy(dynamo.endpoint, 5);
  const gates = [0, 1].map((index) =>
    handlerOn(tableStateStore({ tableName: 'limits-bench', client: localDynamoClient(proxy.endpoint), budgetMs: 2_000 }), `gate-${index}`),
  );
  console.log(`| case | mode | table calls per request (by target) | sequential round trips | median ms (5 ms per table call) |`);
  console.log('|---|---|---|---|---|');
  for (const [name, , , withCallerId] of cases) {
    const index = cases.findIndex(([other]) => other === name);
    for (const mode of ['cached', 'live']) {
      for (const gate of gates) await answer(gate, index, mode, withCallerId); // warm-up: the reading in each gate's memory
      const targets = new Map<string, number>();
      const depths: number[] = [];
      const times: number[] = [];
      for (let round = 0; round < requests; round += 1) {
        const first = proxy.calls.length;
        const started = performance.now();
        await answer(gates[round % 2]!, index, mode, withCallerId);
        times.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 10));
        const calls = proxy.calls.slice(first);
        depths.push(sequentialDepth(calls));
        for (const call of calls) targets.set(call.target, (targets.get(call.target) ?? 0) + 1);
      }
      const byTarget = [...targets].map(([target, count]) => `${target} ${(count / requests).toFixed(1)}`).join(', ') || 'none';
      console.log(`| ${name} | ${mode} | ${byTarget} | ${median(depths)} | ${median(times).toFixed(1)} |`);
    }
  }
  await proxy.close();
  await dynamo.close();
}

/** CPU per answer on the memory store: 7 interleaved rounds of `requests * 10` answers per case, the median round. */
async function memoryRows() {
  // A clock 0.7 s ahead per answer: holds (60 s) lapse, so at most about 86 stand (maxHolds 100).
  let clock = Date.now();
  const handler = handlerOn(new MemoryStore(), 'memory', () => (clock += 700));
  const perRound = requests * 10;
  const samples = cases.map(() => [] as number[]);
  for (let round = 0; round < 8; round += 1) {
    for (const [index, [, , , withCallerId]] of cases.entries()) {
      const before = process.cpuUsage();
      for (let count = 0; count < perRound; count += 1) await answer(handler, index, 'cached', withCallerId);
      const used = process.cpuUsage(before);
      if (round > 0) samples[index]!.push((used.user + used.system) / perRound); // round 0 warms up
    }
  }
  console.log(`\n| case (memory store, cached) | CPU µs per answer (median of 7 rounds of ${perRound}) |`);
  console.log('|---|---|');
  for (const [index, [name]] of cases.entries()) console.log(`| ${name} | ${median(samples[index]!).toFixed(1)} |`);
}

async function main() {
  console.log(`limits bench, ${requests} requests per row, ${new Date().toISOString()}, load ${(await import('node:os')).loadavg()[0]!.toFixed(2)}\n`);
  await tableRows();
  await memoryRows();
  process.exit(0);
}

void main();
