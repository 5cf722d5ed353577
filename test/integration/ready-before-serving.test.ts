/**
 * Ready before serving (docs/operators/running-locally.md): a gate on a fresh DynamoDB-compatible
 * endpoint serves nothing before its table is ACTIVE. dynalite runs with its default CREATING
 * delay (500 ms, as `npx dynalite`; DynamoDB Local and AWS take longer).
 *
 * - Two gates on one endpoint (two runtimes with their own clients, lease owners and memory, as
 *   two containers), each ready by the readiness step `npm start` runs, burst holds the moment
 *   both are ready: exactly k yeses for k free agents, in several rounds, each on a new table.
 * - `npm start` itself (a child process) answers /v1/health only once the table is ACTIVE (on an
 *   endpoint that keeps it CREATING for 3 s, longer than the gate takes to start).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import dynalite from 'dynalite';
import { createHttpHandler } from '../../functions/http/handler';
import { newLocalAccessKey } from '../../local/access-key';
import { localDynamoClient } from '../../local/dynamodb';
import { startAlowareSimulator } from '../../local/simulators/aloware-simulator';
import type { VendorSimulator } from '../../local/simulators/simulator';
import { readyStateTable } from '../../local/state';
import { parseGateConfig } from '../../shared/config/gate-config';
import { createRuntime, tableStateStore } from '../../shared/runtime';
import { availabilityEvent, lambdaContext } from '../support/api-gateway-event';
import { fakeSecretSource } from '../support/fake-secrets';
import { callerEntry, freePorts } from '../support/local-gate';

const callerKey = 'ready-it-key-0123456789abcdef';
const freeAgents = 2;
const secrets = { 'transfer-gate/callers': { callers: [callerEntry('ready', callerKey, ['*'])] }, 'tg/ready': { apiToken: 'ready-token' } };
let server: Server;
let endpoint: string;
let simulator: VendorSimulator;
const queueConfig = () => ({
  defaults: { cacheTtlMs: 60_000, timeoutMs: 2_000, holdMs: 30_000 },
  queues: [{ id: 'ready', vendor: 'aloware', secret: 'tg/ready', ringGroupId: 1, baseUrl: simulator.url }],
});

async function startDynalite(options?: { createTableMs: number }): Promise<{ server: Server; endpoint: string }> {
  const started = dynalite(options);
  started.listen(0, '127.0.0.1');
  await once(started, 'listening');
  return { server: started, endpoint: `http://127.0.0.1:${(started.address() as AddressInfo).port}` };
}

async function stopDynalite(stopped: Server | undefined) {
  stopped?.closeAllConnections();
  await new Promise((resolve) => stopped?.close(resolve));
}

beforeAll(async () => {
  // Its default: a new table stays CREATING for 500 ms.
  ({ server, endpoint } = await startDynalite());
  simulator = await startAlowareSimulator({ apiToken: 'ready-token', ringGroupIds: ['1'], agents: { available: freeAgents, busy: 1 } });
});
afterAll(async () => {
  await simulator?.close();
  await stopDynalite(server);
});

/** A gate as `npm start` readies one: the table step first, then the runtime (what it would serve with). */
async function readyGate(tableName: string, index: number) {
  await readyStateTable(endpoint, tableName, { accessKey: newLocalAccessKey() });
  const client = localDynamoClient(endpoint);
  // A GC pause on a loaded test machine must not send a placement to the container's memory.
  const store = tableStateStore({ tableName, client, budgetMs: 2_000 });
  const runtime = createRuntime({ config: parseGateConfig(queueConfig()), secretSource: fakeSecretSource(secrets), store, owner: `ready-${index}` });
  return { handler: createHttpHandler(() => runtime), client };
}

it.each([1, 2, 3])(
  'round %i: two gates on a new table, bursting holds the moment both are ready, get exactly k yeses',
  async (round) => {
    const gates = await Promise.all([0, 1].map((index) => readyGate(`ready-round-${round}`, index)));
    try {
      const answers = await Promise.all(
        Array.from({ length: 4 * freeAgents }, async (_, call) => {
          const event = availabilityEvent('ready', { headers: { 'x-api-key': callerKey }, query: { callerId: `+1555555${String(1000 + call)}` } });
          const result = (await gates[call % 2]!.handler(event, lambdaContext())) as APIGatewayProxyResult;
          return { status: result.statusCode, canTransfer: JSON.parse(result.body).canTransfer as boolean };
        }),
      );
      expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200]));
      expect(answers.filter((answer) => answer.canTransfer)).toHaveLength(freeAgents);
    } finally {
      for (const gate of gates) gate.client.destroy();
    }
  },
  15_000,
);

describe('npm start on a fresh endpoint', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'transfer-gate-ready-'));
  let child: ChildProcess | undefined;
  let slow: { server: Server; endpoint: string } | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await stopDynalite(slow?.server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /v1/health only once the table it created is ACTIVE', async () => {
    writeFileSync(path.join(dir, 'gate.config.json'), JSON.stringify(queueConfig()));
    writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify(secrets));
    slow = await startDynalite({ createTableMs: 3_000 });
    const [port] = await freePorts(1);
    const args = [
      '--port',
      String(port),
      '--no-simulators',
      '--dynamodb-endpoint',
      slow.endpoint,
      '--state-table',
      'ready-npm-start',
      '--config',
      path.join(dir, 'gate.config.json'),
      '--secrets',
      path.join(dir, 'secrets.json'),
    ];
    const root = path.join(__dirname, '..', '..');
    child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', ...args], {
      cwd: root,
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
      stdio: 'ignore',
    });
    const client = localDynamoClient(slow.endpoint);
    try {
      // Poll from the moment it starts; the first 200 must find the table ACTIVE.
      for (let tries = 0; ; tries += 1) {
        const status = await fetch(`http://127.0.0.1:${port}/v1/health`).then(
          (response) => response.status,
          () => 0,
        );
        if (status === 200) break;
        if (tries > 1_000 || child.exitCode !== null) throw new Error(`npm start never answered /v1/health (exit ${child.exitCode})`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'ready-npm-start' }));
      expect(Table?.TableStatus).toBe('ACTIVE');
    } finally {
      client.destroy();
    }
  }, 30_000);
});
