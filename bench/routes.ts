/**
 * `npx tsx bench/routes.ts [calls per round] > /dev/null`: a route of 3 cached members against a
 * single cached queue, both through the exported HTTP handler in one process, as bench/child.ts
 * measures the handler (stdout to /dev/null as Lambda's log sink, INFO, each call timed alone).
 * Rounds alternate queue and route so drift on a shared machine hits both alike; the figures are
 * the medians of the rounds' p50/p90/p99 and CPU µs per call. Results go to stderr. Not part of
 * `npm run bench`; not run by tests. The goal (docs/callers/routes-and-destinations.md): the route
 * within 1.5x the queue.
 */
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { callerEntry, freePorts, startTestGate } from '../test/support/local-gate';

const callsPerRound = Number(process.argv[2] ?? 5_000);
const rounds = 5;
const key = 'bench-key-0123456789';

async function startGate() {
  const ports = await freePorts(4);
  const queue = (id: string, port: number | undefined) => ({
    id,
    vendor: 'aloware',
    secret: 'tg/aloware',
    ringGroupId: 1,
    baseUrl: `http://127.0.0.1:${port}`,
    cacheTtlMs: 600_000,
  });
  return startTestGate({
    config: {
      queues: [queue('cached', ports[0]), queue('member-a', ports[1]), queue('member-b', ports[2]), queue('member-c', ports[3])],
      routes: { three: { queues: ['member-a', 'member-b', 'member-c'], pick: 'most_available' } },
    },
    secrets: { 'transfer-gate/callers': { callers: [callerEntry('bench', key, ['*'])] }, 'tg/aloware': { apiToken: 'bench-token' } },
  });
}

function event(kind: 'queues' | 'routes', id: string): APIGatewayProxyEvent {
  return {
    resource: `/v1/${kind}/{id}/availability`,
    path: `/v1/${kind}/${id}/availability`,
    httpMethod: 'GET',
    headers: { 'x-api-key': key },
    multiValueHeaders: { 'x-api-key': [key] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { id },
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
    body: null,
    isBase64Encoded: false,
  } as APIGatewayProxyEvent;
}

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<{ statusCode: number }>;
interface Round {
  p50: number;
  p90: number;
  p99: number;
  cpu: number;
}

async function round(handler: Handler, request: APIGatewayProxyEvent, context: Context): Promise<Round> {
  const samples = new Float64Array(callsPerRound);
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < callsPerRound; index += 1) {
    const started = performance.now();
    const result = await handler(request, context);
    samples[index] = performance.now() - started;
    if (result.statusCode !== 200) throw new Error(`status ${result.statusCode}`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  samples.sort();
  const us = (quantile: number) => Math.round(samples[Math.floor(quantile * (callsPerRound - 1))]! * 1000);
  return { p50: us(0.5), p90: us(0.9), p99: us(0.99), cpu: Math.round((cpu.user + cpu.system) / callsPerRound) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const gate = await startGate();
  try {
    const { handler } = (await import('../functions/http/handler')) as unknown as { handler: Handler };
    const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
    const queue = event('queues', 'cached');
    const route = event('routes', 'three');
    for (let index = 0; index < 2_000; index += 1) await Promise.all([handler(queue, context), handler(route, context)]); // warm up
    const results: Record<'queue' | 'route', Round[]> = { queue: [], route: [] };
    for (let index = 0; index < rounds; index += 1) {
      results.queue.push(await round(handler, queue, context));
      results.route.push(await round(handler, route, context));
    }
    const summary = (rows: Round[]) => ({
      p50: median(rows.map((row) => row.p50)),
      p90: median(rows.map((row) => row.p90)),
      p99: median(rows.map((row) => row.p99)),
      cpu: median(rows.map((row) => row.cpu)),
    });
    const [single, three] = [summary(results.queue), summary(results.route)];
    const ratio = (field: keyof Round) => (three[field] / single[field]).toFixed(2);
    process.stderr.write(
      [
        `${rounds} rounds x ${callsPerRound} calls each, medians of the rounds (µs)`,
        '| answer | p50 | p90 | p99 | CPU per call |',
        '|---|---|---|---|---|',
        `| single cached queue | ${single.p50} | ${single.p90} | ${single.p99} | ${single.cpu} |`,
        `| route of 3 cached members | ${three.p50} | ${three.p90} | ${three.p99} | ${three.cpu} |`,
        `| route / queue | ${ratio('p50')} | ${ratio('p90')} | ${ratio('p99')} | ${ratio('cpu')} |`,
        '',
      ].join('\n'),
    );
  } finally {
    await gate.close();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
    process.exit(1);
  },
);
