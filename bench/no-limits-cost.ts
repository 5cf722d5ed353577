/**
 * `npx tsx bench/no-limits-cost.ts [rounds]`: CPU µs per cached answer through the HTTP handler on
 * the memory store, for a seller without limits on a queue without holds or limits. Run from this
 * tree and from an export of an older commit (`git archive <ref> | tar -x -C DIR`, node_modules
 * linked) to compare: what docs/operators/limits.md's checks cost a seller without limits.
 * Uses only what existed before limits: the same script runs on both trees.
 */
import './quiet-logs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../functions/http/handler';
import { hashKey } from '../shared/callers';
import { parseGateConfig } from '../shared/config/gate-config';
import { createRuntime } from '../shared/runtime';
import { MemoryStore } from '../shared/state/memory-store';
import { availabilityEvent, lambdaContext } from '../test/support/api-gateway-event';
import { fakeSecretSource } from '../test/support/fake-secrets';

const rounds = Number(process.argv[2] ?? 9);
const key = 'no-limits-cost-key-0123456789';
const body = JSON.stringify({ available_users_count: 5, total_users_count: 5 });
const fetch = (async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })) as typeof globalThis.fetch;
const config = parseGateConfig({ queues: [{ id: 'plain', vendor: 'aloware', secret: 'tg/a', ringGroupId: 1, cacheTtlMs: 600_000 }] });
const secrets = { 'transfer-gate/callers': { callers: [{ name: 'plain-seller', keySha256: hashKey(key), queues: ['*'] }] }, 'tg/a': { apiToken: 't' } };
const runtime = createRuntime({ config, secretSource: fakeSecretSource(secrets), fetch, store: new MemoryStore() });
const handler = createHttpHandler(() => runtime);
const event = availabilityEvent('plain', { headers: { 'x-api-key': key }, query: { callerId: '+12015550123' } });

async function main() {
  const samples: number[] = [];
  for (let round = 0; round <= rounds; round += 1) {
    const before = process.cpuUsage();
    for (let count = 0; count < 2_000; count += 1) {
      const result = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
      if (result.statusCode !== 200) throw new Error(result.body);
    }
    const used = process.cpuUsage(before);
    if (round > 0) samples.push((used.user + used.system) / 2_000);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `CPU µs per cached answer, median of ${rounds} rounds of 2000: ${samples[Math.floor(samples.length / 2)]!.toFixed(1)} (min ${samples[0]!.toFixed(1)})`,
  );
  process.exit(0);
}

void main();
