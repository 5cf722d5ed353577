/**
 * Wires config, secrets, the state store, adapters and the gate together, once per container.
 * Entry points get their runtime from `defaultRuntime()`; tests build one with `createRuntime()`
 * and fakes.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { shortCallSettings, withEnvironmentCredentials } from './aws-clients';
import { type Caller, callersParser } from './callers';
import type { GateConfig } from './config/gate-config';
import { loadGateConfigFile } from './config/load-config';
import { Gate, resolveVendorBudgets } from './gate';
import { createHttpClient } from './vendors/http-client';
import { logger } from './logger';
import { SecretStore, type SecretSource, secretsManagerSource } from './secrets';
import { metricsNamespace, metricsServiceName } from './scheduled/metric-names';
import { DynamoDbStore } from './state/dynamodb-store';
import { MemoryStore } from './state/memory-store';
import { ResilientStore } from './state/resilient-store';
import type { StateStore } from './state/store';
import { stateStoreUnavailableReporter } from './state/unavailable-reporter';
import { type AnyVendorAdapter, type VendorAdapters, type VendorQueue, createVendorAdapters } from './vendors/registry';
import { type TrafficRecorder, trafficRecorder } from './api/traffic-metrics';

export interface Runtime {
  config: GateConfig;
  gate: Gate;
  store: StateStore;
  /** The clock the gate uses (routes that touch the store directly, e.g. releasing a hold). */
  now: () => number;
  callers(): Promise<Caller[]>;
  /** Counts every availability answer by queue and by seller (docs/on-call/traffic-metrics.md). */
  traffic: TrafficRecorder;
}

export interface RuntimeOptions {
  config: GateConfig;
  secretSource: SecretSource;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  /** The shared state; default: this process's memory. */
  store?: StateStore;
  /** This container's lease-owner id; default: a fresh UUID (unique per container). */
  owner?: string;
  /** Where traffic metrics go; default: EMF lines on stdout in the project's namespace. */
  traffic?: TrafficRecorder;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const now = options.now ?? Date.now;
  const { config } = options;
  const secrets = new SecretStore(options.secretSource, {
    now,
    onInvalidRefresh: (error) => logger.error('secret refresh rejected', { detail: error.message }),
  });
  const http = createHttpClient({ fetch: options.fetch, now });
  const store = options.store ?? new MemoryStore();
  const adapters = createVendorAdapters({ http, now });
  prepareAdapters(adapters, config);
  const gate = new Gate({
    adapters,
    secrets,
    store,
    now,
    owner: options.owner ?? randomUUID(),
    http,
    budgets: resolveVendorBudgets(config),
    queues: [...config.queues.values()],
    onVendorRead(queue, read) {
      if (!read.error) return;
      const { kind, status, message } = read.error;
      logger.warn('vendor read failed', { queue: queue.id, vendor: queue.vendor, vendorError: kind, status, latencyMs: read.latencyMs, detail: message });
    },
  });
  const traffic = options.traffic ?? trafficRecorder(projectMetrics(), projectMetrics());
  // The callers secret may grant only queues and routes this config has (docs/operators/callers-and-keys.md): checked as it is loaded.
  const parseCallers = callersParser(new Set([...config.queues.keys(), ...config.routes.keys()]));
  return { config, gate, store, now, callers: () => secrets.get(config.callersSecret, parseCallers), traffic };
}

function projectMetrics(): Metrics {
  return new Metrics({ namespace: metricsNamespace, serviceName: metricsServiceName });
}

/** Lets each vendor the config uses load, at start, what its first check would otherwise load inside its time budget. */
function prepareAdapters(adapters: VendorAdapters, config: GateConfig): void {
  const queuesByVendor = new Map<keyof VendorAdapters, VendorQueue[]>();
  for (const queue of config.queues.values()) queuesByVendor.set(queue.vendor, [...(queuesByVendor.get(queue.vendor) ?? []), queue]);
  // Each adapter only ever sees its own vendor's queues (as the gate picks adapters by `queue.vendor`).
  for (const [vendor, queues] of queuesByVendor) (adapters[vendor] as AnyVendorAdapter).prepare?.(queues);
}

/** The bundled config: `GATE_CONFIG_FILE`, else gate.config.json beside the bundle (Lambda) or in the cwd. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.GATE_CONFIG_FILE ?? path.join(env.LAMBDA_TASK_ROOT ?? process.cwd(), 'gate.config.json');
}

/**
 * One DynamoDB client per container. `AWS_ENDPOINT_URL_DYNAMODB` (a local endpoint) is read
 * from `env` here so the env given is the one used; the SDK would read process.env anyway.
 * Short timeouts and few attempts: the resilient store cuts every call at 200 ms regardless,
 * and a retry past that helps no caller.
 */
export function dynamoClientFromEnv(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
  return new DynamoDBClient(
    withEnvironmentCredentials({ ...(env.AWS_REGION && { region: env.AWS_REGION }), ...(endpoint && { endpoint }), ...shortCallSettings }, env),
  );
}

export interface TableStoreOptions {
  tableName: string;
  /** Default: `dynamoClientFromEnv(env)`. */
  client?: DynamoDBClient;
  env?: NodeJS.ProcessEnv;
  /**
   * Where the StateStoreUnavailable metric goes. Default: its own Metrics instance, flushed at
   * each failure by the reporter, so the EMF line is written whichever entry point (with or
   * without the logMetrics middleware) saw the failure, and never flushes another's metrics.
   */
  metrics?: Metrics;
  /** Each call's budget before it falls back to memory; default 200 ms (docs/operators/shared-state.md). */
  budgetMs?: number;
  /** How long the table is left alone after a failure; default 5 s. */
  circuitOpenMs?: number;
}

/** The table, each call within 200 ms; caches fall back to this container's memory, shared promises never do (docs/on-call/when-things-fail.md). */
export function tableStateStore(options: TableStoreOptions): ResilientStore {
  const client = options.client ?? dynamoClientFromEnv(options.env);
  const metrics = options.metrics ?? projectMetrics();
  return new ResilientStore({
    primary: new DynamoDbStore({ client, tableName: options.tableName }),
    fallback: new MemoryStore(),
    ...(options.budgetMs !== undefined && { budgetMs: options.budgetMs }),
    ...(options.circuitOpenMs !== undefined && { circuitOpenMs: options.circuitOpenMs }),
    onUnavailable: stateStoreUnavailableReporter({ logger, metrics }),
    // One read of a key nobody writes: the client's first connection, before any request is judged by it.
    warmUp: (primary) => primary.readState('warm-up'),
  });
}

/** The container's state store: with `GATE_STATE_TABLE`, the table (see tableStateStore); without it, this process's memory. */
export function stateStoreFromEnv(env: NodeJS.ProcessEnv = process.env): StateStore {
  const tableName = env.GATE_STATE_TABLE;
  return tableName ? tableStateStore({ tableName, env }) : new MemoryStore();
}

let runtime: Runtime | undefined;
let configFailure: unknown;

/**
 * Built on first use and kept for the container's life. A bad or missing config fails here with
 * every problem listed, and that failure is remembered: later requests get the same error
 * without reading the file again.
 */
export function defaultRuntime(): Runtime {
  if (runtime) return runtime;
  if (configFailure !== undefined) throw configFailure;
  let config: GateConfig;
  try {
    config = loadGateConfigFile(configFilePath());
  } catch (error) {
    configFailure = error;
    throw error;
  }
  runtime = createRuntime({ config, secretSource: secretsManagerSource(), store: stateStoreFromEnv() });
  return runtime;
}

/** Tests only: forget the container's runtime and any remembered config failure. */
export function resetDefaultRuntime(): void {
  runtime = undefined;
  configFailure = undefined;
}
