/**
 * Wires config, secrets, adapters and the gate together, once per container. Entry points get
 * their runtime from `defaultRuntime()`; tests build one with `createRuntime()` and fakes.
 */
import path from 'node:path';
import { type Caller, parseCallers } from './callers';
import type { GateConfig } from './config/gate-config';
import { loadGateConfigFile } from './config/load-config';
import { Gate, type VendorReadEvent } from './gate';
import { createHttpClient } from './vendors/http-client';
import { logger } from './logger';
import { SecretStore, type SecretSource, secretsManagerSource } from './secrets';
import { createVendorAdapters } from './vendors/registry';

export interface Runtime {
  config: GateConfig;
  gate: Gate;
  callers(): Promise<Caller[]>;
}

export interface RuntimeOptions {
  config: GateConfig;
  secretSource: SecretSource;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  /** Called after every vendor read, in addition to the warning logged on failures. */
  onVendorRead?: (event: VendorReadEvent) => void;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const now = options.now ?? Date.now;
  const secrets = new SecretStore(options.secretSource, {
    now,
    onInvalidRefresh: (error) => logger.error('secret refresh rejected', { detail: error.message }),
  });
  const adapters = createVendorAdapters({ http: createHttpClient({ fetch: options.fetch, now }), now });
  const gate = new Gate({
    adapters,
    secrets,
    now,
    onVendorRead(event) {
      if (event.error) {
        const { kind, status, message } = event.error;
        logger.warn('vendor read failed', { queue: event.queue, vendor: event.vendor, vendorError: kind, status, latencyMs: event.latencyMs, detail: message });
      }
      options.onVendorRead?.(event);
    },
  });
  return {
    config: options.config,
    gate,
    callers: () => secrets.get(options.config.callersSecret, parseCallers),
  };
}

/** The bundled config: `GATE_CONFIG_FILE`, else gate.config.json beside the bundle (Lambda) or in the cwd. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.GATE_CONFIG_FILE ?? path.join(env.LAMBDA_TASK_ROOT ?? process.cwd(), 'gate.config.json');
}

let runtime: Runtime | undefined;

/**
 * Built on first use and kept for the container's life; a bad config fails here with every problem listed.
 * `hooks` are taken from the call that builds it (the scheduled check's metrics).
 */
export function defaultRuntime(hooks: Pick<RuntimeOptions, 'onVendorRead'> = {}): Runtime {
  runtime ??= createRuntime({ config: loadGateConfigFile(configFilePath()), secretSource: secretsManagerSource(), ...hooks });
  return runtime;
}
