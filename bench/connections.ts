/**
 * `npm run bench -- --connections 500 --duration 60`: many connections at once against the real
 * local server on loopback, with the load generator in its own process (autocannon's CLI), so
 * that the server's event loop is the gate's alone. Records the run in bench/connections.json;
 * bench/results.md shows it.
 *
 * Besides latency it reads the kernel's TCP counters (ListenOverflows, ListenDrops from
 * /proc/net/netstat): they tell a full accept queue (dropped SYNs, retried after 1 s, 3 s, 7 s)
 * from connections that sit in the queue because the server takes them too slowly (see
 * local/turn-scheduler.ts). `--baseline` first runs the server without its turn scheduler.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { callerEntry, freePorts, startTestGate } from '../test/support/local-gate';

const run = promisify(execFile);
const key = 'bench-key-0123456789';
const autocannonCli = require.resolve('autocannon/autocannon.js');

export interface ConnectionsOptions {
  connections: number;
  durationSeconds: number;
  /** Requests started per event-loop turn; undefined: the server's default. 0: no scheduler. */
  requestsPerTurn?: number;
}

/** TcpExt counters from /proc/net/netstat (Linux); empty elsewhere. */
function tcpCounters(): Record<string, number> {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('TcpExt:'));
    const names = lines[0]!.split(/\s+/).slice(1);
    const values = lines[1]!.split(/\s+/).slice(1).map(Number);
    return Object.fromEntries(names.map((name, index) => [name, values[index]!]));
  } catch {
    return {};
  }
}

async function autocannon(url: string, connections: number, seconds: number) {
  const args = [autocannonCli, '--json', '-c', String(connections), '-d', String(seconds), '-H', `x-api-key=${key}`, url];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout);
}

export async function measureConnections(options: ConnectionsOptions) {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  const [aloware] = await freePorts(1);
  const gate = await startTestGate({
    config: { queues: [{ id: 'cached', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, baseUrl: `http://127.0.0.1:${aloware}`, cacheTtlMs: 3000 }] },
    secrets: { 'transfer-gate/callers': { callers: [callerEntry('bench', key, ['*'])] }, 'tg/aloware': { apiToken: 'bench-token' } },
    requestsPerTurn: options.requestsPerTurn,
  });
  try {
    const runs: Record<string, unknown> = {};
    for (const [name, route] of [
      ['cachedQueue', '/v1/queues/cached/availability'],
      ['health', '/v1/health'],
    ] as const) {
      const before = tcpCounters();
      const result = await autocannon(`${gate.url}${route}`, options.connections, options.durationSeconds);
      const after = tcpCounters();
      runs[name] = {
        requestsPerSecond: Math.round(result.requests.average),
        latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        listenOverflows: (after.ListenOverflows ?? 0) - (before.ListenOverflows ?? 0),
        listenDrops: (after.ListenDrops ?? 0) - (before.ListenDrops ?? 0),
      };
    }
    return { requestsPerTurn: options.requestsPerTurn ?? 'server default', connections: options.connections, durationSeconds: options.durationSeconds, runs };
  } finally {
    await gate.close();
  }
}

export async function runConnectionsBench(options: ConnectionsOptions & { baseline?: boolean }) {
  const measured = [];
  if (options.baseline) measured.push(await measureConnections({ ...options, requestsPerTurn: 0 }));
  measured.push(await measureConnections({ ...options, requestsPerTurn: undefined }));
  const record = {
    recordedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, somaxconn: readKernel('net/core/somaxconn') },
    command: `npm run bench -- --connections ${options.connections} --duration ${options.durationSeconds}${options.baseline ? ' --baseline' : ''}`,
    measured,
  };
  writeFileSync(path.join(__dirname, 'connections.json'), `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
  return record;
}

function readKernel(name: string): number | undefined {
  try {
    return Number(readFileSync(`/proc/sys/${name}`, 'utf8').trim());
  } catch {
    return undefined;
  }
}

/** The last `--connections` run (bench/connections.json), kept across plain `npm run bench` runs. */
export function connectionsMarkdown(): string {
  const file = path.join(__dirname, 'connections.json');
  if (!existsSync(file)) return '';
  const record = JSON.parse(readFileSync(file, 'utf8'));
  const rows = record.measured.flatMap((measured: any) =>
    Object.entries(measured.runs).map(
      ([name, run]: [string, any]) =>
        `| ${measured.requestsPerTurn === 0 ? 'baseline: no turn scheduler' : 'the server as shipped'} | ${name} | ${run.requestsPerSecond} | ` +
        `${run.latencyMs.p50} | ${run.latencyMs.p99} | **${run.latencyMs.max}** | ${run.errors} | ${run.timeouts} | ${run.non2xx} | ${run.listenOverflows} |`,
    ),
  );
  return `
## ${record.measured[0].connections} connections at once, ${record.measured[0].durationSeconds} s per route

Recorded ${record.recordedAt} by \`${record.command}\` (autocannon in its own process; somaxconn ${record.machine.somaxconn}).

| server | route | req/s | p50 ms | p99 ms | max ms | errors | timeouts | non-2xx | listen overflows |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Why connections stalled: since libuv 1.45 (Node 20) a listening socket accepts one connection per
event-loop turn. With hundreds of busy keep-alive connections a turn serves a request from each
of them and lasts tens of milliseconds, so connections waiting in the kernel's accept queue were
taken one per turn: the last ones waited 5 to 10 s, and autocannon's 10 s timeout cut some. The
listen backlog (511) was not it: the kernel's ListenOverflows stayed 0 and the queue held about
150 to 200 connections, well under 511. The server now starts at most 8 requests per turn
(local/turn-scheduler.ts), so turns stay short and a waiting connection is accepted within a
few turns. The machine is shared (2 cores, other work running), so req/s moves between runs by
tens of percent: read the errors, timeouts and max columns, and compare rows of one run.
`;
}
