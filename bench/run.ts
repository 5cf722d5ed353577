/**
 * `npm run bench`: measures the gate on loopback and records the results in bench/results.json
 * and bench/results.md. Bounded: each load run lasts a few seconds against this machine only.
 *
 * - HTTP through the real local server (autocannon): a cached queue, an always-live queue (every
 *   request shares in-flight vendor reads), and /v1/health.
 * - The handler in-process (no HTTP): the cost of one cached answer, in microseconds.
 * - Each Lambda entry point bundled as CDK bundles it (esbuild, minified, SDK bundled): size and
 *   the time to load it.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { callerEntry, freePorts, startTestGate } from '../test/support/local-gate';
import { measureBundles } from './bundles';
import { measureHandler } from './handler-latency';

const key = 'bench-key-0123456789';
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 5);

async function load(url: string, connections: number) {
  const result = await autocannon({ url, connections, duration: durationSeconds, headers: { 'x-api-key': key } });
  return {
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function main() {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  const [aloware, calltools] = await freePorts(2);
  const gate = await startTestGate({
    config: {
      queues: [
        { id: 'cached', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: `http://127.0.0.1:${aloware}`, cacheTtlMs: 3000 },
        { id: 'live', vendor: 'calltools', secret: 'tg/calltools', queueId: 5457, baseUrl: `http://127.0.0.1:${calltools}`, cacheTtlMs: 0 },
      ],
    },
    secrets: {
      'transfer-gate/callers': { callers: [callerEntry('bench', key, ['*'])] },
      'tg/aloware': { apiToken: 'bench-token' },
      'tg/calltools': { apiKey: 'bench-key' },
    },
  });
  try {
    // Warm up (JIT, connection pools, caches) so the first measured run is not the slow one.
    await autocannon({ url: `${gate.url}/v1/queues/cached/availability`, connections: 10, duration: 1, headers: { 'x-api-key': key } });
    const liveSimulator = gate.simulators.get('live')!;
    liveSimulator.resetCalls();
    const http = {
      cachedQueue: await load(`${gate.url}/v1/queues/cached/availability`, 20),
      liveQueue: { ...(await load(`${gate.url}/v1/queues/live/availability`, 20)), vendorCalls: 0 },
      health: await load(`${gate.url}/v1/health`, 20),
    };
    http.liveQueue.vendorCalls = liveSimulator.calls();
    const results = {
      recordedAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
      durationSeconds,
      http,
      handlerInProcess: await measureHandler(gate.url, key),
      bundles: await measureBundles(),
    };
    writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(path.join(__dirname, 'results.md'), toMarkdown(results));
    process.stdout.write(toMarkdown(results));
  } finally {
    await gate.close();
  }
}

function toMarkdown(results: any): string {
  const rows = Object.entries(results.http).map(([name, run]: [string, any]) =>
    `| ${name} | ${run.connections} | ${run.requestsPerSecond} | ${run.latencyMs.p50} | ${run.latencyMs.p99} | ${run.non2xx + run.errors} |${run.vendorCalls !== undefined ? ` ${run.vendorCalls} vendor calls |` : ' |'}`,
  );
  const bundles = results.bundles.map((bundle: any) => `| ${bundle.entry} | ${bundle.kib} | ${bundle.loadMs} |`);
  return `# Benchmark results

Recorded ${results.recordedAt} on ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node},
by \`npm run bench\` (loopback only; ${results.durationSeconds} s per run). Numbers from one run: compare runs on the same machine.

## HTTP through the local server (the same handler the API runs)

| route | connections | req/s | p50 ms | p99 ms | non-2xx + errors | notes |
|---|---|---|---|---|---|---|
${rows.join('\n')}

How to read it: \`cachedQueue\` (cacheTtlMs 3000) is answered from the in-process cache; \`liveQueue\`
(cacheTtlMs 0) asks the vendor simulator for every answer, but concurrent requests share one
vendor call, so the vendor sees far fewer calls than there were requests (the notes column). Both are
dominated by HTTP on loopback (autocannon shares the same 2 cores): the gate's own work is the
in-process figure below. Cached and live differ mostly by body size (Aloware's answer carries
\`unroutableReasons\`).

## The handler in-process (no HTTP)

A cached answer costs ${results.handlerInProcess.cachedMicroseconds} µs per call on average over ${results.handlerInProcess.iterations} calls (middy, auth by hash, zod input, decision, JSON).

## Lambda bundles (esbuild, minified, AWS SDK bundled, as CDK builds them)

| entry | size KiB | load ms |
|---|---|---|
${bundles.join('\n')}
`;
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
