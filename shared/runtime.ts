/**
 * Wires config, secrets, the state store, adapters and the gate together, once per container.
 * Entry points get their runtime from `defaultRuntime()`; tests build one with `createRuntime()`
 * and fakes.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { type Caller, parseCallers } from './callers';
import type { GateConfig } from './config/gate-config';
import { loadGateConfigFile } from './config/load-config';
import { Gate, resolveVendorBudgets } from './gate';
import { createHttpClient } from './vendors/http-client';
import { logger } from './logger';
import { SecretStore, type SecretSource, secretsManagerSource } from './secrets';
import { MemoryStore } from './state/memory-store';
import type { StateStore } from './state/store';
import { createVendorAdapters } from './vendors/registry';

export interface Runtime {
  config: GateConfig;
  gate: Gate;
  store: StateStore;
  callers(): Promise<Caller[]>;
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
  const gate = new Gate({
    adapters: createVendorAdapters({ http, now }),
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
  return { config, gate, store, callers: () => secrets.get(config.callersSecret, parseCallers) };
}

/** The bundled config: `GATE_CONFIG_FILE`, else gate.config.json beside the bundle (Lambda) or in the cwd. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.GATE_CONFIG_FILE ?? path.join(env.LAMBDA_TASK_ROOT ?? process.cwd(), 'gate.config.json');
}

/**
 * The container's state store: with `GATE_STATE_TABLE`, the table, each call within 200 ms and
 * falling back to memory (`tableStore`: ResilientStore(DynamoDbStore, MemoryStore), wired here
 * once those backends are merged); without it, this process's memory.
 */
export function stateStoreFromEnv(env: NodeJS.ProcessEnv = process.env, tableStore?: (tableName: string) => StateStore): StateStore {
  const table = env.GATE_STATE_TABLE;
  if (table && tableStore) return tableStore(table);
  if (table) logger.warn('GATE_STATE_TABLE is set but this build has no table store; the state lives in memory');
  return new MemoryStore();
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
