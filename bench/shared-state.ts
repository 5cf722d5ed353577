/**
 * `npx tsx bench/shared-state.ts [seconds]`: what sharing the state table buys and costs (issue 9).
 * Not part of `npm run bench`; not run by tests. Loopback only, bounded (a few seconds per run).
 *
 * 1. Vendor calls per cacheTtlMs for 1, 2 and 4 gates (runtimes, each with its own container
 *    memory and lease owner) under 200 concurrent callers: each gate on its own memory store vs
 *    all on one dynalite table.
 * 2. The added latency of a cached answer that needs a table read (the reading is not in this
 *    container's memory: a second gate), against one served from the container's memory.
 * 3. How long a lease waiter waits beyond the vendor's own latency, against dynalite.
 * dynalite runs in this process, sharing its event loop with the gates; DynamoDB in AWS answers
 * a consistent GetItem in single-digit ms, so these figures are pessimistic.
 */
import '../test/support/warn-logs';
import { parseGateConfig } from '../shared/config/gate-config';
import { Gate } from '../shared/gate';
import { tableStateStore } from '../shared/runtime';
import { SecretStore } from '../shared/secrets';
import { createStateTable } from '../shared/state/dynamodb-store';
import type { VendorAdapter } from '../shared/vendors/port';
import { createVendorAdapters } from '../shared/vendors/registry';
import { localDynamoClient, startEmbeddedDynamo } from '../local/dynamodb';
import { callerEntry, freePorts } from '../test/support/local-gate';
import { hammer, startSharedGates } from '../test/support/two-gates';

const seconds = Number(process.argv[2] ?? 4);
const callerKey = 'bench-shared-state-key-0123';
const cacheTtlMs = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (p: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2));
  return { p50: pick(50), p99: pick(99), n: sorted.length };
}

const secrets = { 'transfer-gate/callers': { callers: [callerEntry('bench', callerKey, ['*'])] }, 'tg/aloware': { apiToken: 'bench-token' } };

async function callsPerTtl(gateCount: number, state: 'dynamodb' | 'memory') {
  const [port] = await freePorts(1);
  const config = {
    defaults: { cacheTtlMs, timeoutMs: 2000 },
    queues: [{ id: 'q', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: `http://127.0.0.1:${port}` }],
  };
  // 1 s per store call: this measures sharing, not the fallback a GC pause may cause.
  const gates = await startSharedGates({ gates: gateCount, callerKey, config, secrets, state, storeBudgetMs: 1000 });
  try {
    const vendor = gates.simulators.get('q')!;
    vendor.resetCalls();
    const started = performance.now();
    const answers = await hammer(gates, gateCount, 'q', 200, seconds * 1000);
    const periods = (performance.now() - started) / cacheTtlMs;
    return {
      calls: vendor.calls(),
      perTtl: Number((vendor.calls() / periods).toFixed(2)),
      answers: answers.length,
      non200: answers.filter((a) => a.status !== 200).length,
    };
  } finally {
    await gates.close();
  }
}

/** A queue read by gate 0, then asked of gate 0 (container memory) and of gate 1 (a table read). */
async function tableReadLatency(queueCount: number) {
  const [port] = await freePorts(1);
  const queues = Array.from({ length: queueCount }, (_, index) => ({
    id: `q${index}`,
    vendor: 'aloware',
    secret: 'tg/aloware',
    ringGroupId: index + 1,
    baseUrl: `http://127.0.0.1:${port}`,
  }));
  const gates = await startSharedGates({ gates: 2, callerKey, config: { defaults: { cacheTtlMs: 600_000 }, queues }, secrets });
  try {
    const [a, b] = gates.runtimes;
    const fromMemory: number[] = [];
    const fromTable: number[] = [];
    for (const queue of a!.config.queues.values()) {
      if ((await a!.gate.check(queue)).decision.source !== 'live') throw new Error('expected a live read first');
      let started = performance.now();
      await a!.gate.check(queue);
      fromMemory.push(performance.now() - started);
      started = performance.now();
      const { decision } = await b!.gate.check(queue);
      fromTable.push(performance.now() - started);
      if (decision.source !== 'cache') throw new Error(`gate 1 answered ${decision.source}`);
    }
    return { containerMemory: percentiles(fromMemory), tableRead: percentiles(fromTable) };
  } finally {
    await gates.close();
  }
}

/** Gate A holds the lease and reads a vendor of fixed latency; gate B waits on the table for its result. */
async function leaseWaiter(latencyMs: number, rounds: number) {
  const dynamo = await startEmbeddedDynamo();
  const setup = localDynamoClient(dynamo.endpoint);
  await createStateTable(setup, 'bench-state');
  setup.destroy();
  const clients = [localDynamoClient(dynamo.endpoint), localDynamoClient(dynamo.endpoint)];
  try {
    const config = parseGateConfig({ defaults: { cacheTtlMs: 0 }, queues: [{ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }] });
    const queue = config.queues.get('support')!;
    const base = createVendorAdapters({
      http: { requestJson: () => Promise.reject(new Error('no network')), requestText: () => Promise.reject(new Error('no network')) },
    });
    const adapters = { ...base, aloware: { ...base.aloware, check: async () => (await sleep(latencyMs), { available: 2 }) } as VendorAdapter<any, any> };
    const secretSource = { getSecretString: async () => JSON.stringify({ apiToken: 'x' }) };
    const [a, b] = clients.map(
      (client, index) =>
        new Gate({ adapters, secrets: new SecretStore(secretSource), store: tableStateStore({ tableName: 'bench-state', client }), owner: `gate-${index}` }),
    );
    await Promise.all([a!.check(queue), b!.check(queue)]); // warm up both clients
    const extra: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const started = performance.now();
      const holder = a!.check(queue);
      await sleep(1); // the holder takes the lease first
      const waited = await b!.check(queue);
      const at = performance.now();
      await holder;
      if (waited.decision.source !== 'cache') throw new Error(`round ${round}: the waiter answered ${waited.decision.source}`);
      extra.push(at - started - latencyMs);
      await sleep(5);
    }
    return { vendorLatencyMs: latencyMs, waitBeyondVendor: percentiles(extra) };
  } finally {
    for (const client of clients) client.destroy();
    await dynamo.close();
  }
}

async function main() {
  const perTtl: Record<string, unknown> = {};
  for (const gateCount of [1, 2, 4]) {
    const memory = await callsPerTtl(gateCount, 'memory');
    const shared = await callsPerTtl(gateCount, 'dynamodb');
    perTtl[`${gateCount} gate(s)`] = { memory, shared, ratio: Number((memory.calls / shared.calls).toFixed(2)) };
  }
  const results = { seconds, callers: 200, cacheTtlMs, perTtl, cachedAnswer: await tableReadLatency(200), leaseWaiter: await leaseWaiter(100, 100) };
  console.log(JSON.stringify(results, null, 2));
}

void main();
