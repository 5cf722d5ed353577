/**
 * `npx tsx bench/holds.ts [seconds]`: holds (docs/operators/holds.md) against an in-process
 * dynalite on loopback. Not part of `npm run bench`; not run by tests.
 * 1. Placing a hold, one at a time: p50/p99 ms of `placeHold` (a consistent read and one
 *    conditional write of the queue's hold item), each hold released before the next.
 * 2. 200 concurrent callers on ONE queue, over two store clients (two containers), each with its
 *    own callerId, looping place -> release for `seconds`: holds placed per second; `refused`
 *    counts placements the store refused (the queue full, or every optimistic attempt lost),
 *    `gaveUp` releases that lost every attempt (StateConflictError). Also with 20 callers, and
 *    with 200 callers whose placements take turns within each container, as the Gate runs them.
 * dynalite runs in this process and shares its event loop with the clients: a pessimistic
 * stand-in for DynamoDB, whose single-item writes answer in single-digit ms.
 */
import { performance } from 'node:perf_hooks';
import { localDynamoClient, startEmbeddedDynamo } from '../local/dynamodb';
import { DynamoDbStore, StateConflictError, createStateTable } from '../shared/state/dynamodb-store';
import type { StateStore } from '../shared/state/store';
import { oneAtATimePerKey } from '../shared/concurrency';

const seconds = Number(process.argv[2] ?? 5);
const tableName = 'gate-holds-bench';

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 100) / 100;
}

const hold = (callerId: string, now = Date.now()) => ({ callerName: 'bench', callerId, placedAt: now, expiresAt: now + 30_000 });

async function sequential(store: StateStore, iterations = 500) {
  const samples: number[] = [];
  for (let index = -20; index < iterations; index += 1) {
    const callerId = `+1555${index}`;
    const started = performance.now();
    const outcome = await store.placeHold('sequential', hold(callerId), 10, Date.now());
    if (index >= 0) samples.push(performance.now() - started);
    if (!outcome.placed || outcome.reused) throw new Error('expected a new hold');
    await store.releaseHold('sequential', 'bench', callerId, Date.now());
  }
  samples.sort((a, b) => a - b);
  return { iterations, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}

/** `takingTurns`: each container's placements on the queue one at a time, as the Gate runs them (shared/gate/gate.ts). */
async function concurrent(stores: StateStore[], callers: number, maxHolds: number, takingTurns = false) {
  const turns = stores.map(() => oneAtATimePerKey());
  const counts = { placed: 0, refused: 0, gaveUp: 0, otherErrors: 0 };
  const placeMs: number[] = [];
  const startedAt = performance.now();
  const endsAt = startedAt + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      const store = stores[caller % stores.length]!;
      const turn = turns[caller % stores.length]!;
      const callerId = `+1666${caller}`;
      while (performance.now() < endsAt) {
        const started = performance.now();
        try {
          const place = () => store.placeHold('crowded', hold(callerId), maxHolds, Date.now());
          const outcome = await (takingTurns ? turn('crowded', place) : place());
          placeMs.push(performance.now() - started);
          if (!outcome.placed) counts.refused += 1;
          else {
            counts.placed += 1;
            await store.releaseHold('crowded', 'bench', callerId, Date.now());
          }
        } catch (error) {
          if (error instanceof StateConflictError) counts.gaveUp += 1;
          else counts.otherErrors += 1;
        }
      }
    }),
  );
  placeMs.sort((a, b) => a - b);
  // Calls under way at the deadline finish first: the rate is over the whole elapsed time.
  const elapsedS = (performance.now() - startedAt) / 1000;
  return {
    callers,
    maxHolds,
    takingTurns,
    elapsedS: Math.round(elapsedS * 10) / 10,
    ...counts,
    placedPerSecond: Math.round((counts.placed / elapsedS) * 10) / 10,
    placeP50Ms: percentile(placeMs, 50),
    placeP99Ms: percentile(placeMs, 99),
  };
}

async function main() {
  const dynamo = await startEmbeddedDynamo();
  const clients = [localDynamoClient(dynamo.endpoint), localDynamoClient(dynamo.endpoint)];
  try {
    await createStateTable(clients[0]!, tableName);
    const stores = clients.map((client) => new DynamoDbStore({ client, tableName }));
    const results = {
      placeHoldSequential: await sequential(stores[0]!),
      concurrent200: await concurrent(stores, 200, 50),
      concurrent20: await concurrent(stores, 20, 50),
      concurrent200TakingTurns: await concurrent(stores, 200, 50, true),
    };
    console.log(JSON.stringify(results, null, 2));
  } finally {
    for (const client of clients) client.destroy();
    await dynamo.close();
  }
}

void main();
