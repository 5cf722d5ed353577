/**
 * `npx tsx bench/state-store.ts [iterations]`: the latency of the state store calls the gate
 * makes, p50/p99 in ms, one call at a time (sequential), on the memory store and on the DynamoDB
 * store against an in-process dynalite on loopback. Not part of `npm run bench`; not run by tests.
 * DynamoDB in AWS answers in single-digit ms; dynalite (LevelDB in this process, sharing its event
 * loop with the client) is a pessimistic stand-in.
 */
import { performance } from 'node:perf_hooks';
import { localDynamoClient, startEmbeddedDynamo } from '../local/dynamodb';
import { DynamoDbStore, createStateTable } from '../shared/state/dynamodb-store';
import { MemoryStore } from '../shared/state/memory-store';
import type { StateStore } from '../shared/state/store';

const iterations = Number(process.argv[2] ?? 500);

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 1000) / 1000;
}

async function measure(run: (index: number) => Promise<unknown>) {
  for (let index = 0; index < 20; index += 1) await run(-1 - index); // warm up
  const samples: number[] = [];
  for (let index = 0; index < iterations; index += 1) {
    const started = performance.now();
    await run(index);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function measureStore(store: StateStore) {
  const now = Date.now();
  await store.putReading('queue:bench', 'bench', { availability: { available: 3, busy: 2, total: 5 }, checkedAt: now });
  return {
    readState: await measure(() => store.readState('queue:bench')),
    // The same owner retakes: every call is one successful conditional write.
    takeLease: await measure(() => store.takeLease('queue:bench', 'bench', now, 6_000)),
    // A new callerId each time on a queue with room: read + conditional write, list grows.
    placeHold: await measure((index) =>
      store.placeHold(`bench-${Math.floor(index / 20)}`, { callerName: 'bench', callerId: `+1555${index}`, placedAt: now, expiresAt: now + 30_000 }, 100, now),
    ),
    spendBudget: await measure(() => store.spendBudget('tg/bench', now, Number.MAX_SAFE_INTEGER)),
  };
}

async function main() {
  const dynamo = await startEmbeddedDynamo();
  const client = localDynamoClient(dynamo.endpoint);
  try {
    await createStateTable(client, 'gate-state-bench');
    const results = {
      iterations,
      memory: await measureStore(new MemoryStore()),
      dynalite: await measureStore(new DynamoDbStore({ client, tableName: 'gate-state-bench' })),
    };
    console.log(JSON.stringify(results, null, 2));
  } finally {
    client.destroy();
    await dynamo.close();
  }
}

void main();
