/**
 * `npm run bench` (tsx bench/run.ts): every measurement of issue 12, side by side in one run,
 * recorded in bench/results.json and bench/results.md. Loopback only, bounded (a few seconds per
 * load run). Flags:
 *   --only cold,handler,callers,server   a subset (default: all)
 *   --before <ref>                       also build the function bundles from that commit
 *   --rounds <n>                         interleaved load rounds (default 15)
 *   --handler-runs <n>                   handler-latency processes per log level, medians (default 5)
 *   --server-pairs <n>                   alternating gate/trivial server runs, median ratio (default 3)
 *   BENCH_SECONDS=<s>                    autocannon duration per run (default 5)
 */
import './quiet-logs';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { benchKey } from './bench-gate';
import { measureCallerLookup } from './callers-lookup';
import { measureCold } from './cold';
import { connectionsMarkdown, runConnectionsBench } from './connections';
import { type BenchResults, toMarkdown } from './report';
import { parseCommandLine } from '../local/cli-args';

const usage = `usage: npm run bench -- [flags]

Measures the function bundles, the handler, the caller lookup and the local server, and writes
bench/results.md and bench/results.json (docs/contributors/benchmarks.md). Loopback only.

  --only cold,handler,callers,server   a subset (default: all)
  --before REF                         also build the function bundles from that commit
  --rounds N                           interleaved load rounds (default 15)
  --handler-runs N                     handler-latency processes per log level, medians (default 5)
  --server-pairs N                     alternating gate/trivial server runs, median ratio (default 3)
  --connections N                      instead: N connections at once against the local server
  --duration S                         with --connections: seconds (default 60)
  --baseline                           with --connections: first without the turn scheduler
  -h, --help                           this text

BENCH_SECONDS=S sets autocannon's duration per run (default 5).`;
const { values: flags } = parseCommandLine(usage, {
  options: {
    only: { type: 'string' },
    before: { type: 'string' },
    rounds: { type: 'string' },
    'handler-runs': { type: 'string' },
    'server-pairs': { type: 'string' },
    connections: { type: 'string' },
    duration: { type: 'string' },
    baseline: { type: 'boolean' },
  },
});
const parts = new Set((flags.only ?? 'cold,handler,callers,server').split(','));
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 5);

/** A bench/child.ts process: stdout to /dev/null (as Lambda's stdout is a log sink), replies over IPC. */
function child(args: string[], logLevel?: string): { process: ChildProcess; reply: Promise<any> } {
  const env = { ...process.env };
  delete env.POWERTOOLS_LOG_LEVEL; // the default level, INFO, unless told otherwise
  if (logLevel) env.POWERTOOLS_LOG_LEVEL = logLevel;
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'child.ts'), ...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env });
  const reply = new Promise((resolve, reject) => {
    proc.once('message', resolve);
    proc.once('exit', (code) => reject(new Error(`bench child ${args[0]} exited ${code}`)));
  });
  return { process: proc, reply };
}

/** Handler latency in `runs` processes one after the other (INFO and WARN alternating): each quantile's median. */
async function measureHandler(runs: number) {
  const info: HandlerRun[] = [];
  const warn: HandlerRun[] = [];
  for (let run = 0; run < runs; run += 1) {
    info.push(await child(['handler', '20000']).reply);
    warn.push(await child(['handler', '20000'], 'WARN').reply);
  }
  return { handler: medianRun(info), handlerWithoutInfo: medianRun(warn) };
}

interface HandlerRun {
  iterations: number;
  logLevel: string;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  cpuUsPerCall: number;
}

function medianRun(runs: HandlerRun[]) {
  const median = (key: 'p50Us' | 'p90Us' | 'p99Us' | 'cpuUsPerCall') => runs.map((run) => run[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  return {
    iterations: runs[0]!.iterations,
    logLevel: runs[0]!.logLevel,
    p50Us: median('p50Us'),
    p90Us: median('p90Us'),
    p99Us: median('p99Us'),
    cpuUsPerCall: median('cpuUsPerCall'),
    runP99Us: runs.map((run) => run.p99Us),
  };
}

async function load(url: string, connections = 20, duration = durationSeconds) {
  const result = await autocannon({ url, connections, duration, headers: { 'x-api-key': benchKey } });
  return {
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    answered: result.requests.total,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** The server process's CPU time so far (µs), asked over IPC (bench/child.ts). */
function cpuOf(server: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    server.once('message', (reply: { cpuUs: number }) => resolve(reply.cpuUs));
    server.send('cpu');
  });
}

/** One server in its own process: answers per second, and the server's CPU µs per answer (steadier than req/s on a shared machine). */
async function measureServer(mode: string) {
  const server = child([mode]);
  const { url } = await server.reply;
  await load(url, 10, 1); // warm up
  const cpuBefore = await cpuOf(server.process);
  const result = await load(url);
  const cpuUs = (await cpuOf(server.process)) - cpuBefore;
  server.process.send('stop');
  await new Promise((resolve) => server.process.once('exit', resolve));
  return { ...result, cpuUsPerRequest: Math.round((cpuUs / Math.max(1, result.answered)) * 10) / 10 };
}

const ratioOf = (a: number, b: number) => Math.round((a / b) * 100) / 100;

/**
 * The local server's cached answers per second against a trivial Node server, each in its own
 * process, in `pairs` alternating runs (the machine's load moves between runs): the median pair.
 * Each pair also runs the trivial server with a request scope and a decision line
 * (`scoped-trivial-server`): the ceiling the gate has on this Node version while it keeps both.
 */
async function measureServers(pairs: number) {
  const runs = [];
  for (let pair = 0; pair < pairs; pair += 1) {
    const gate = await measureServer('gate-server');
    const trivial = await measureServer('trivial-server');
    const scopedTrivial = await measureServer('scoped-trivial-server');
    runs.push({
      gate,
      trivial,
      scopedTrivial,
      ratio: ratioOf(gate.requestsPerSecond, trivial.requestsPerSecond),
      scopedRatio: ratioOf(scopedTrivial.requestsPerSecond, trivial.requestsPerSecond),
    });
  }
  const ratios = runs.map((run) => run.ratio);
  const median = [...runs].sort((a, b) => a.ratio - b.ratio)[Math.floor(runs.length / 2)]!;
  return { ...median, ratios, scopedRatios: runs.map((run) => run.scopedRatio) };
}

/** The sections the standalone benches (shared state, store calls, holds) recorded by hand: kept as they are. */
function standaloneSections(): string {
  const marker = '<!-- Below: figures recorded by the standalone benches';
  const recorded = readFileSync(path.join(__dirname, 'results.md'), 'utf8');
  const at = recorded.indexOf(marker);
  return at < 0 ? '' : `\n${recorded.slice(at)}`;
}

async function main() {
  if (flags.connections) {
    // Only the many-connections run (bench/connections.ts); the other figures stay as recorded.
    await runConnectionsBench({ connections: Number(flags.connections), durationSeconds: Number(flags.duration ?? 60), baseline: flags.baseline ?? false });
    const recorded: BenchResults = JSON.parse(readFileSync(path.join(__dirname, 'results.json'), 'utf8'));
    writeFileSync(path.join(__dirname, 'results.md'), toMarkdown(recorded) + connectionsMarkdown() + standaloneSections());
    return;
  }
  const results: BenchResults = {
    recordedAt: new Date().toISOString(),
    commit: process.env.BENCH_COMMIT,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      node: process.version,
      loadAverage: os.loadavg().map((value) => Math.round(value * 10) / 10),
    },
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    durationSeconds,
    cold: parts.has('cold') ? await measureCold({ before: flags.before, rounds: flags.rounds ? Number(flags.rounds) : undefined }) : undefined,
    // The WARN runs only attribute the cost of the decision line: the function keeps it (it is the audit trail).
    ...(parts.has('handler') ? await measureHandler(Number(flags['handler-runs'] ?? 5)) : {}),
    callers: parts.has('callers') ? measureCallerLookup() : undefined,
    servers: parts.has('server') ? await measureServers(Number(flags['server-pairs'] ?? 3)) : undefined,
  };
  writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(__dirname, 'results.md'), toMarkdown(results) + connectionsMarkdown() + standaloneSections());
  process.stdout.write(toMarkdown(results));
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
