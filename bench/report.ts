/** bench/results.md from one run's results: the figures issue 12 sets goals for, side by side. */
import type { CallersResult } from './callers-lookup';
import type { ColdResult } from './cold';

interface Load {
  connections: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  /** The server process's CPU (user + system) per answer, over the measured run. */
  cpuUsPerRequest?: number;
}

interface HandlerLatency {
  iterations: number;
  logLevel: string;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  /** When the figures are medians over several processes: each run's p99 (the noisiest figure). */
  runP99Us?: number[];
  /** The process's CPU (user + system) per call over the timed calls. */
  cpuUsPerCall?: number;
}

export interface BenchResults {
  recordedAt: string;
  commit?: string;
  machine: { cpus: number; cpuModel?: string; node: string; loadAverage: number[] };
  command: string;
  durationSeconds: number;
  cold?: ColdResult;
  handler?: HandlerLatency;
  handlerWithoutInfo?: HandlerLatency;
  callers?: CallersResult[];
  /** The pair (gate run, trivial run right after it) with the median ratio; `ratios`: every pair's. */
  servers?: { gate: Load; trivial: Load; ratio: number; ratios?: number[]; scopedTrivial?: Load; scopedRatio?: number; scopedRatios?: number[] };
}

const kib = (bytes = 0) => (bytes / 1024).toFixed(1);
const groups = ['aws-sdk/smithy', 'zod', 'powertools', 'jose', 'middy', 'own code', 'other'];

function coldSection(cold: ColdResult): string {
  const rows = cold.bundles.map(
    (b) =>
      `| ${b.name} | ${b.kib} | ${b.loadMs} | ${b.ratio} | ${b.loadMsSourceMaps} | ${b.ratioSourceMaps} | ` +
      `${b.requireMs} | ${b.requireRatio} | ${b.requireCpuMs ?? '-'} | ${b.requireCpuRatio ?? '-'} |`,
  );
  const composition = cold.bundles.map((b) => `| ${b.name} | ${groups.map((group) => kib(b.composition[group])).join(' | ')} |`);
  const http = cold.bundles.find((b) => b.name === 'http') ?? cold.bundles[0]!;
  const top = Object.entries(http.packages)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([name, bytes]) => `| ${name} | ${kib(bytes)} |`);
  return `## Function bundles, as CDK builds them, against the baseline

The baseline (bench/baseline-entry.ts) is only what every function must carry: middy, the Secrets
Manager client and the DynamoDB client, built with the same esbuild options (bench/cdk-esbuild.ts,
kept in step with infra/constructs/gate-function.ts). Load = wall time of a whole process (spawn
node, require the bundle, exit); medians of ${cold.rounds} interleaved rounds; a bare \`node -e 0\`
takes ${cold.nodeAloneMs} ms. "with source maps" runs node with \`--enable-source-maps\`, as the
functions' NODE_OPTIONS does in Lambda. "require() ms" is the require alone, timed inside the same
processes as "load ms" (node's own start-up left out, so less noise), and "require() CPU ms" its
CPU time (user + system), which other work on a shared machine moves least. "http, AWS SDK external" is
\`bundleAwsSDK: false\` for comparison: the SDK then loads from node_modules (here this project's;
in Lambda the runtime's copy), so its size column counts only the bundle. "library floor"
(bench/floor-entry.ts) is the baseline plus the libraries every function carries by the project's
rules, with none of the gate's code: zod/mini with its English messages and one schema, Powertools
Logger and Metrics, and jose's SignJWT (Kore.ai's JWT is signed with a maintained JOSE library:
docs/operators/vendors/koreai.md). A function minus the floor is what the gate's own code and schemas cost.

| bundle | KiB | load ms | × baseline | load ms, with source maps | × baseline | require() ms | × baseline | require() CPU ms | × baseline |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Composition (KiB in the minified output, from esbuild's metafile):

| bundle | ${groups.join(' | ')} |
|---|${groups.map(() => '---').join('|')}|
${composition.join('\n')}

Top packages in the ${http.name} bundle:

| package | KiB |
|---|---|
${top.join('\n')}
`;
}

export function toMarkdown(results: BenchResults): string {
  const sections = [
    `# Benchmark results

Recorded ${results.recordedAt} on ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}
(load average ${results.machine.loadAverage.join(' / ')}), by \`${results.command}\`${results.commit ? ` at ${results.commit}` : ''}.
Loopback only. Numbers from one run: compare figures within a run, not across runs or machines.
`,
  ];
  if (results.cold) sections.push(coldSection(results.cold));
  if (results.handler) {
    const row = (run: HandlerLatency, note: string) =>
      `| ${run.logLevel} | ${note} | ${run.p50Us} | ${run.p90Us} | ${run.p99Us} | ` + `${run.runP99Us?.join(', ') ?? ''} | ${run.cpuUsPerCall ?? '-'} |`;
    const runs = results.handler.runP99Us?.length ?? 1;
    sections.push(`## A cached answer inside the HTTP function

${results.handler.iterations} calls of the exported handler (middy, Powertools context, auth, decision,
JSON) in one process, each timed alone, stdout to /dev/null as Lambda's log sink; ${runs} such processes
per row, one after the other, and each figure is the median of their figures (the machine is shared:
one process's p99 moves with what else runs). The function runs at INFO and keeps its per-request
decision line; the WARN row only tells what that line costs. CPU µs: the process's user + system
CPU per call over the timed calls (median of the processes).

| log level | decision line | p50 µs | p90 µs | p99 µs | p99 of each run | CPU µs per call |
|---|---|---|---|---|---|---|
${row(results.handler, 'written')}
${results.handlerWithoutInfo ? row(results.handlerWithoutInfo, 'not written (attribution only)') : ''}
`);
  }
  if (results.callers) {
    sections.push(`## Caller lookup against the number of callers

The key presented is the last caller's (the worst case for a scan).

| callers | µs per lookup |
|---|---|
${results.callers.map((row) => `| ${row.callers} | ${row.microsecondsPerLookup} |`).join('\n')}
`);
  }
  if (results.servers) sections.push(serversSection(results.servers, results.durationSeconds));
  return sections.join('\n');
}

function serversSection(servers: NonNullable<BenchResults['servers']>, durationSeconds: number): string {
  const row = (name: string, run: Load) =>
    `| ${name} | ${run.connections} | ${run.requestsPerSecond} | ${run.cpuUsPerRequest ?? '-'} | ` +
    `${run.latencyMs.p50} | ${run.latencyMs.p99} | ${run.non2xx + run.errors} |`;
  const scoped = servers.scopedTrivial ? `${row('trivial + request scope + one JSON line', servers.scopedTrivial)}\n` : '';
  const ceiling = servers.scopedTrivial
    ? `\nCeiling on this Node version: the trivial server with an AsyncLocalStorage scope per request and one
JSON line like the decision line (what the gate keeps on every request before any gate logic) makes
**${servers.scopedRatio}** of the trivial server's answers per second (each pair: ${servers.scopedRatios?.join(', ')}).\n`
    : '';
  return `## The local server against a trivial Node HTTP server

autocannon on loopback, ${durationSeconds} s each, after a 1 s warm-up; each server in its own
process (stdout to /dev/null), autocannon in this one. The gate answers a cached queue. ${
    servers.ratios
      ? `${servers.ratios.length} pairs
of runs (gate, then trivial), alternating; the rows are the pair with the median ratio (the ratio of each
pair: ${servers.ratios.join(', ')}).`
      : ''
  } CPU µs: the server process's user + system CPU per answer.

| server | connections | req/s | CPU µs | p50 ms | p99 ms | non-2xx + errors |
|---|---|---|---|---|---|---|
${row('local gate, cached queue', servers.gate)}
${row("trivial (s.end('ok'))", servers.trivial)}
${scoped}
Ratio: **${servers.ratio}** of the trivial server's answers per second.
${ceiling}`;
}
