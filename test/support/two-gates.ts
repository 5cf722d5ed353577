/**
 * Several gates sharing one DynamoDB-compatible table, as Lambda containers share the stack's
 * table (docs/operators/shared-state.md): one in-process dynalite, and per gate its own runtime
 * (own client, own lease owner, own container memory, the table store the runtime builds from
 * GATE_STATE_TABLE) behind its own HTTP handler. The vendor simulators run in this process too,
 * so a test counts every call each one receives.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createHttpHandler } from '../../functions/http/handler';
import { type EmbeddedDynamo, localDynamoClient, startEmbeddedDynamo } from '../../local/dynamodb';
import { startSimulatorsFor } from '../../local/simulators';
import type { VendorSimulator } from '../../local/simulators/simulator';
import { parseGateConfig } from '../../shared/config/gate-config';
import { type Runtime, createRuntime, tableStateStore } from '../../shared/runtime';
import { createStateTable } from '../../shared/state/dynamodb-store';
import { MemoryStore } from '../../shared/state/memory-store';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { availabilityEvent, lambdaContext } from './api-gateway-event';
import { fakeSecretSource } from './fake-secrets';
import { type PausableProxy, startPausableProxy } from './pausable-proxy';

/** What the tests look at in an answer (kept small: a run keeps tens of thousands). */
export interface GateAnswer {
  status: number;
  json: { queue?: string; canTransfer?: boolean; reason?: string; source?: string; vendorError?: string; checkedAt?: string };
  /** Wall-clock ms the handler took. */
  ms: number;
  /** performance.now() when it answered. */
  at: number;
}

export interface SharedGates {
  runtimes: Runtime[];
  simulators: ReadonlyMap<string, VendorSimulator>;
  /** The availability of `queueId` through gate `index`'s handler, with the caller's key. */
  ask(index: number, queueId: string): Promise<GateAnswer>;
  /** Any event through gate `index`'s handler: status, headers and the parsed JSON body. */
  send(index: number, event: APIGatewayProxyEvent): Promise<{ status: number; headers: Record<string, unknown>; json: any }>;
  /** With `pausable`: the proxy between the gates and the table (pause it to stop the table answering). */
  proxy?: PausableProxy;
  /** Stops the table mid-run: every later store call fails. */
  killStore(): Promise<void>;
  close(): Promise<void>;
}

export interface SharedGatesOptions {
  config: unknown;
  secrets: Record<string, unknown>;
  callerKey: string;
  gates: number;
  /** 'dynamodb' (default): one table for all; 'memory': each gate its own memory (the baseline). */
  state?: 'dynamodb' | 'memory';
  /**
   * The resilient store's budget per call (default 200 ms, as deployed). Tests that count vendor
   * calls raise it: on a loaded test machine a GC pause can exceed 200 ms, and the fallback to
   * memory it causes (correctly) costs an extra vendor call that is not what they measure.
   */
  storeBudgetMs?: number;
  /** How long each gate leaves the table alone after a failure (default 5 s, as deployed). */
  circuitOpenMs?: number;
  /** Puts a pausable proxy between the gates and the table (`proxy`). */
  pausable?: boolean;
}

export async function startSharedGates(options: SharedGatesOptions): Promise<SharedGates> {
  const config = parseGateConfig(options.config);
  const simulators = await startSimulatorsFor(config, options.secrets);
  let dynamo: EmbeddedDynamo | undefined;
  let proxy: PausableProxy | undefined;
  const clients: DynamoDBClient[] = [];
  if (options.state !== 'memory') {
    dynamo = await startEmbeddedDynamo();
    const setup = localDynamoClient(dynamo.endpoint);
    await createStateTable(setup, 'shared-state');
    setup.destroy();
    if (options.pausable) proxy = await startPausableProxy(dynamo.endpoint);
  }
  const runtimes = Array.from({ length: options.gates }, (_, index) => {
    const client = dynamo && localDynamoClient(proxy?.endpoint ?? dynamo.endpoint);
    if (client) clients.push(client);
    const store = client
      ? tableStateStore({ tableName: 'shared-state', client, budgetMs: options.storeBudgetMs, circuitOpenMs: options.circuitOpenMs })
      : new MemoryStore();
    return createRuntime({ config, secretSource: fakeSecretSource(options.secrets), store, owner: `gate-${index}` });
  });
  const handlers = runtimes.map((runtime) => createHttpHandler(() => runtime));
  return {
    runtimes,
    simulators: simulators.byQueue,
    proxy,
    async send(index, event) {
      const result = (await handlers[index]!(event, lambdaContext())) as APIGatewayProxyResult;
      return { status: result.statusCode, headers: result.headers ?? {}, json: result.body ? JSON.parse(result.body) : undefined };
    },
    async ask(index, queueId) {
      const started = performance.now();
      const result = (await handlers[index]!(
        availabilityEvent(queueId, { headers: { 'x-api-key': options.callerKey } }),
        lambdaContext(),
      )) as APIGatewayProxyResult;
      const at = performance.now();
      const ms = at - started;
      const { queue, canTransfer, reason, source, vendorError, checkedAt } = JSON.parse(result.body);
      return { status: result.statusCode, json: { queue, canTransfer, reason, source, vendorError, checkedAt }, ms, at };
    },
    async killStore() {
      // The table stops answering; its data goes with close(), once nothing is under way.
      await dynamo?.disconnect();
    },
    async close() {
      for (const client of clients) client.destroy();
      await proxy?.close();
      await dynamo?.close();
      await simulators.close();
    },
  };
}

/**
 * `callers` concurrent loops, spread round-robin over the gates, each asking `queueId` until
 * `durationMs` has passed, pausing `pauseMs` between its requests (a caller across a network).
 */
export async function hammer(gates: SharedGates, gateCount: number, queueId: string, callers: number, durationMs: number, pauseMs = 5): Promise<GateAnswer[]> {
  const endsAt = performance.now() + durationMs;
  const answers: GateAnswer[] = [];
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      while (performance.now() < endsAt) {
        answers.push(await gates.ask(caller % gateCount, queueId));
        // A cached answer is all microtasks: without a pause the loops would starve the I/O.
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }),
  );
  return answers;
}
