/**
 * `npx tsx bench/round-trips.ts [rounds]`: the state-table round trips one availability request
 * costs, counted by a loopback proxy in front of an in-process dynalite (docs/operators/shared-state.md#what-it-costs).
 * The proxy counts requests by X-Amz-Target and delays each by 5 ms (a network hop), so calls made
 * in parallel overlap; a request's sequential depth is the longest chain of table calls each
 * started after the previous one ended. Two gates (runtimes) share the table; the vendor is a fake
 * fetch answering at once. Each round waits 1.1 s first, so the shared reading (cacheTtlMs 1000)
 * and each container's override lookup (1 s) are too old: the worst case.
 * Not part of `npm run bench`; not run by tests.
 */
import './quiet-logs';
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../functions/http/handler';
import { localDynamoClient, startEmbeddedDynamo } from '../local/dynamodb';
import { hashKey } from '../shared/callers';
import { parseGateConfig } from '../shared/config/gate-config';
import { createRuntime, tableStateStore } from '../shared/runtime';
import { createStateTable } from '../shared/state/dynamodb-store';
import { availabilityEvent, lambdaContext } from '../test/support/api-gateway-event';
import { countingProxy, sequentialDepth } from './table-proxy';
import { fakeSecretSource } from '../test/support/fake-secrets';

const rounds = Number(process.argv[2] ?? 5);
const callerKey = 'round-trips-bench-key-0123456789';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const dynamo = await startEmbeddedDynamo();
  const setup = localDynamoClient(dynamo.endpoint);
  await createStateTable(setup, 'round-trips');
  setup.destroy();
  const proxy = await countingProxy(dynamo.endpoint, 5);
  const body = readFileSync(new URL('../test/fixtures/aloware/availability-200.json', import.meta.url), 'utf8');
  const fetch = (async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })) as typeof globalThis.fetch;
  const aloware = (id: string, secret: string) => ({ id, vendor: 'aloware', secret, ringGroupId: 1, cacheTtlMs: 1000 });
  const config = parseGateConfig({
    vendorBudgets: { 'tg/budgeted': { callsPerMinute: 10_000 } },
    queues: [aloware('plain', 'tg/plain'), aloware('budgeted', 'tg/budgeted')],
  });
  const secrets: Record<string, unknown> = {
    'transfer-gate/callers': { callers: [{ name: 'bench', keySha256: hashKey(callerKey), queues: ['*'] }] },
    'tg/plain': { apiToken: 'plain-token' },
    'tg/budgeted': { apiToken: 'budgeted-token' },
  };
  const gates = [0, 1].map((index) => {
    const store = tableStateStore({ tableName: 'round-trips', client: localDynamoClient(proxy.endpoint), budgetMs: 2_000 });
    const runtime = createRuntime({ config, secretSource: fakeSecretSource(secrets), fetch, store, owner: `gate-${index}` });
    return createHttpHandler(() => runtime);
  });
  const measure = async (gate: number, queue: string) => {
    const first = proxy.calls.length;
    const result = (await gates[gate]!(availabilityEvent(queue, { headers: { 'x-api-key': callerKey } }), lambdaContext())) as APIGatewayProxyResult;
    if (result.statusCode !== 200) throw new Error(`status ${result.statusCode}: ${result.body}`);
    await sleep(50); // writes made after answering (none expected) land in the same window
    const calls = proxy.calls.slice(first);
    return { source: JSON.parse(result.body).source as string, calls, depth: sequentialDepth(calls) };
  };
  interface Row {
    depth: number[];
    total: number[];
    targets: Map<string, number>;
    sources: Set<string>;
  }
  const rows = new Map<string, Row>();
  const record = (name: string, sample: Awaited<ReturnType<typeof measure>>) => {
    const row: Row = rows.get(name) ?? { depth: [], total: [], targets: new Map(), sources: new Set() };
    row.depth.push(sample.depth);
    row.total.push(sample.calls.length);
    row.sources.add(sample.source);
    for (const call of sample.calls) row.targets.set(call.target, (row.targets.get(call.target) ?? 0) + 1);
    rows.set(name, row);
  };
  // Warm-up: SDK clients load their lazy parts; secrets are fetched once.
  for (const queue of ['plain', 'budgeted']) for (const gate of [0, 1]) await measure(gate, queue);
  for (let round = 0; round < rounds; round += 1) {
    for (const queue of ['plain', 'budgeted']) {
      await sleep(1_100);
      record(`${queue}: miss (gate A reads the vendor)`, await measure(0, queue));
      record(`${queue}: fresh in the table, not in memory (gate B)`, await measure(1, queue));
    }
  }
  console.log(`| case | table calls per request (by target, ${rounds} rounds) | sequential round trips (max) | source |`);
  console.log('|---|---|---|---|');
  for (const [name, row] of rows) {
    const targets = [...row.targets].map(([target, count]) => `${target} ${count / rounds}`).join(', ');
    console.log(`| ${name} | ${targets} | ${Math.max(...row.depth)} | ${[...row.sources].join(', ')} |`);
  }
  await proxy.close();
  await dynamo.close();
  process.exit(0);
}

void main();
