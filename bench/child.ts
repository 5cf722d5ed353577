/**
 * Run in a child process by bench/run.ts, its stdout going to /dev/null as Lambda's log lines go
 * to stdout (so logging costs what it costs at the default level, INFO, without a terminal).
 * Reports over IPC. Modes:
 * - `handler`: p50/p99 of one cached answer through the exported HTTP handler, in-process, and
 *   the process's CPU µs per call over the timed calls;
 * - `gate-server`: the local server on a cached queue, until told to stop;
 * - `trivial-server`: `http.createServer((q, s) => s.end('ok'))`, the machine's ceiling;
 * - `scoped-trivial-server`: the trivial server plus what the gate keeps on every request before
 *   any gate logic: an AsyncLocalStorage scope per request and one JSON line like the decision
 *   line, written as shared/logger.ts writes it. Its ratio to the trivial server is the most the
 *   gate can reach on this Node version with the request scope and the audit line kept.
 * The server modes answer a `cpu` message with the process's CPU time so far (µs), and stop on `stop`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Console } from 'node:console';
import { randomUUID } from 'node:crypto';
import { type RequestListener, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { benchKey, startBenchGate } from './bench-gate';

const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
/** Until `stop`; meanwhile each `cpu` is answered with this process's user + system CPU µs. */
const stopped = () =>
  new Promise<void>((resolve) => {
    process.on('message', (message) => {
      if (message !== 'cpu') return resolve();
      const { user, system } = process.cpuUsage();
      process.send!({ cpuUs: user + system });
    });
  });

const event = {
  resource: '/v1/queues/{id}/availability',
  path: '/v1/queues/cached/availability',
  httpMethod: 'GET',
  headers: { 'x-api-key': benchKey },
  multiValueHeaders: { 'x-api-key': [benchKey] },
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: { id: 'cached' },
  stageVariables: null,
  requestContext: {} as APIGatewayProxyEvent['requestContext'],
  body: null,
  isBase64Encoded: false,
} as APIGatewayProxyEvent;

async function handlerLatency(iterations: number) {
  const gate = await startBenchGate();
  try {
    const { handler } = await import('../functions/http/handler');
    const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
    for (let index = 0; index < 2_000; index += 1) await handler(event, context); // warm up: JIT, caches
    const samples = new Float64Array(iterations);
    const cpuBefore = process.cpuUsage();
    for (let index = 0; index < iterations; index += 1) {
      const started = performance.now();
      const result = await handler(event, context);
      samples[index] = performance.now() - started;
      if (result.statusCode !== 200) throw new Error(`status ${result.statusCode}`);
    }
    const cpu = process.cpuUsage(cpuBefore);
    // CPU per call moves far less than wall time with what else runs on the machine.
    const cpuUsPerCall = Math.round(((cpu.user + cpu.system) / iterations) * 10) / 10;
    samples.sort();
    const us = (quantile: number) => Math.round(samples[Math.floor(quantile * (iterations - 1))]! * 1000);
    await send({ iterations, logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO', p50Us: us(0.5), p90Us: us(0.9), p99Us: us(0.99), cpuUsPerCall });
  } finally {
    await gate.close();
  }
}

async function gateServer() {
  const gate = await startBenchGate();
  await send({ url: `${gate.url}/v1/queues/cached/availability` });
  await stopped();
  await gate.close();
}

const trivialAnswer: RequestListener = (_request, response) => response.end('ok');

/** The per-request scope and the decision line alone: the keys and text of shared/logger.ts's line. */
function scopedTrivialAnswer(): RequestListener {
  const scope = new AsyncLocalStorage<{ function_request_id: string; caller?: string }>();
  const lines = new Console({ stdout: process.stdout, stderr: process.stderr });
  const line = (fields: Record<string, unknown>) => {
    const keys = scope.getStore()!;
    lines.log(
      JSON.stringify({
        level: 'INFO',
        message: 'availability',
        timestamp: new Date().toISOString(),
        service: 'transfer-gate',
        cold_start: false,
        function_name: 'transfer-gate-http-local',
        ...keys,
        ...fields,
      }),
    );
  };
  return (_request, response) =>
    scope.run({ function_request_id: randomUUID() }, () => {
      scope.getStore()!.caller = 'bench';
      line({ queue: 'cached', canTransfer: true, reason: 'agents_available', source: 'cache', format: 'json' });
      response.end('ok');
    });
}

async function trivialServer(answer: RequestListener) {
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await send({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
  await stopped();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const mode = process.argv[2];
const modes: Record<string, () => Promise<void>> = {
  handler: () => handlerLatency(Number(process.argv[3] ?? 20_000)),
  'gate-server': gateServer,
  'trivial-server': () => trivialServer(trivialAnswer),
  'scoped-trivial-server': () => trivialServer(scopedTrivialAnswer()),
};
const run = modes[mode!]?.() ?? Promise.reject(new Error(`unknown mode ${mode}`));
run.then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench child ${mode} failed: ${error.stack ?? error}\n`);
    process.exit(1);
  },
);
