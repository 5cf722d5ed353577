/**
 * What `npm run check` does once its command line is read (local/check-cli.ts): the gate's own
 * check of each queue, against Secrets Manager or a local secrets file, its state in memory or a
 * shared table, printed as JSON lines. Returns the exit code: 0, or 2 when any vendor failed.
 */
import { vendorModule } from '../shared/vendors/registry';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { GateConfig, GateQueue } from '../shared/config/gate-config';
import { loadGateConfigFile } from '../shared/config/load-config';
import { ConfigError } from '../shared/errors';
import { createRuntime, stateStoreFromEnv } from '../shared/runtime';
import { secretsManagerSource } from '../shared/secrets';
import { chooseConfigFile, chooseSecretsFile, shownPath } from './config-files';
import { readSecretsFile, useSecretsManagerStandIn } from './server';
import { startSecretsManagerStandIn } from './secrets-manager-stand-in';
import { startSimulatorsOnFreePorts } from './simulator-ports';
import { startSimulatorsFor } from './simulators';
import { prepareLocalState, stateOptionsFrom } from './state';
import { requireVendorSecrets } from './vendor-secrets';

export interface CheckOptions {
  /** Undefined: every queue. */
  queueIds?: string[];
  config?: string;
  secrets?: string;
  simulators?: boolean;
  state?: string;
  'dynamodb-endpoint'?: string;
  'state-table'?: string;
}

export async function runCheck(options: CheckOptions): Promise<number> {
  const chosen = chooseConfigFile(options.config, process.env);
  process.stderr.write(`config: ${shownPath(chosen.file)} (${chosen.from})\n`);
  let config = loadGateConfigFile(chosen.file);
  const queueIds = options.queueIds === undefined ? [...config.queues.keys()] : options.queueIds.map((id) => queueOrThrow(config.queues, id).id);
  const secretsFile = chooseSecretsFile(options.secrets, process.env, chosen.demo);

  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const localState = await prepareLocalState(stateOptionsFrom(options, process.env, 'memory'));
    cleanups.push(localState.close);
    if (secretsFile) {
      const secrets = readSecretsFile(secretsFile.file, config);
      requireVendorSecrets(config, secrets, secretsFile.file);
      const standIn = await startSecretsManagerStandIn(secrets, { accessKey: localState.accessKey });
      cleanups.push(standIn.close);
      useSecretsManagerStandIn(standIn);
      if (chosen.demo) {
        // The demo's own simulators, on free ports: a running `npm start` is neither needed nor disturbed.
        const moved = await startSimulatorsOnFreePorts(chosen.file, config, secrets);
        cleanups.push(moved.close);
        config = moved.config;
      } else if (options.simulators) cleanups.push(await simulatorsOrRunning(config, secrets));
    } else await requireRegion();
    const runtime = createRuntime({ config, secretSource: secretsManagerSource(), store: stateStoreFromEnv() });
    const decisions = await Promise.all(queueIds.map((id) => runtime.gate.check(config.queues.get(id)!).then((check) => check.decision)));
    for (const [index, decision] of decisions.entries()) {
      process.stdout.write(`${JSON.stringify(decision)}\n`);
      // A likely configuration mistake the vendor does not report (`checkAdvice`, e.g. VICIdial's zeros).
      const vendor = config.queues.get(queueIds[index]!)!.vendor;
      const advice = decision.availableAgents === null ? undefined : vendorModule(vendor).checkAdvice?.({ available: decision.availableAgents, total: decision.totalAgents });
      if (advice) process.stderr.write(`warning: queue "${decision.queue}": ${advice}\n`);
    }
    return decisions.some((decision) => decision.vendorError) ? 2 : 0;
  } finally {
    await Promise.all(cleanups.map((cleanup) => cleanup()));
  }
}

/** Reading Secrets Manager needs a region: say so, rather than fail every queue with `auth`. */
async function requireRegion(): Promise<void> {
  const client = new SecretsManagerClient({});
  try {
    await client.config.region();
  } catch {
    throw new ConfigError(
      'no AWS region: the secrets are read from AWS Secrets Manager, which needs one. Set AWS_REGION (or a region in your AWS profile), or check against a local secrets file with --secrets FILE',
    );
  } finally {
    client.destroy();
  }
}

/** Starts the config's simulators; when their ports are taken (a running gate's), uses those. */
async function simulatorsOrRunning(config: GateConfig, secrets: Record<string, unknown>): Promise<() => Promise<void>> {
  try {
    return (await startSimulatorsFor(config, secrets)).close;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    process.stderr.write('simulator ports are in use: checking against the simulators already running\n');
    return async () => undefined;
  }
}

function queueOrThrow(queues: ReadonlyMap<string, GateQueue>, id: string): GateQueue {
  const queue = queues.get(id);
  if (!queue) throw new ConfigError(`no queue "${id}" in the config; queues: ${[...queues.keys()].join(', ')}`);
  return queue;
}

