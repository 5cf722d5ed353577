/**
 * How long a lease waiter waits beyond the vendor's own latency (issue 9): two gates on one
 * MemoryStore, a fake vendor of fixed latency; gate A holds the lease, gate B polls the store.
 * Run: npx tsx bench/lease-waiter.ts [vendorLatencyMs] [rounds]
 */
import { parseGateConfig } from '../shared/config/gate-config';
import { Gate } from '../shared/gate';
import { SecretStore } from '../shared/secrets';
import { MemoryStore } from '../shared/state/memory-store';
import { createVendorAdapters } from '../shared/vendors/registry';
import type { VendorAdapter } from '../shared/vendors/port';

const latencyMs = Number(process.argv[2] ?? 100);
const rounds = Number(process.argv[3] ?? 200);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const config = parseGateConfig({ defaults: { cacheTtlMs: 0 }, queues: [{ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }] });
  const queue = config.queues.get('support')!;
  const base = createVendorAdapters({
    http: { requestJson: () => Promise.reject(new Error('no network')), requestText: () => Promise.reject(new Error('no network')) },
  });
  const adapters = { ...base, aloware: { ...base.aloware, check: async () => (await sleep(latencyMs), { available: 2 }) } as VendorAdapter<any, any> };
  const secrets = { getSecretString: async () => JSON.stringify({ apiToken: 'x' }) };
  const store = new MemoryStore();
  const gate = (owner: string) => new Gate({ adapters, secrets: new SecretStore(secrets), store, owner });
  const [a, b] = [gate('a'), gate('b')];
  const extra: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    const holder = a.check(queue);
    const waiter = b.check(queue).then((check) => ({ check, at: performance.now() }));
    const [, waited] = await Promise.all([holder, waiter]);
    if (waited.check.decision.source !== 'cache') throw new Error(`round ${round}: the waiter answered ${waited.check.decision.source}`);
    extra.push(waited.at - started - latencyMs);
    await sleep(5);
  }
  extra.sort((x, y) => x - y);
  const pick = (p: number) => extra[Math.min(extra.length - 1, Math.floor((p / 100) * extra.length))]!.toFixed(1);
  const mean = (extra.reduce((sum, value) => sum + value, 0) / extra.length).toFixed(1);
  console.log(
    `vendor latency ${latencyMs} ms, ${rounds} rounds: waiter's wait beyond it mean ${mean} ms, p50 ${pick(50)} ms, p99 ${pick(99)} ms, max ${pick(100)} ms`,
  );
}

void main();
