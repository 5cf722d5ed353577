/**
 * What `npm run check` does once its command line is read (local/check-cli.ts): the gate's own
 * check of each queue (and of each route named: its answer with no hold placed), against Secrets Manager or a local secrets file, its state in memory or a
 * shared table, printed as JSON lines. Returns the exit code: 0, or 2 when any vendor failed.
 */
import { vendorModule } from '../shared/vendors/registry';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { GateConfig, GateQueue, GateRoute } from '../shared/config/gate-config';
import { loadGateConfigFile } from '../shared/config/load-config';
import { ConfigError } from '../shared/errors';
import { answerRoute } from '../shared/routes/route-call';
import { type Runtime, createRuntime, stateStoreFromEnv } from '../shared/runtime';
import { secretsManagerSource } from '../shared/secrets';
import { chooseConfigFile, chooseSecretsFile, shownPath } from './config-files';
import { readSecretsFile, useSecretsManagerStandIn } from './server';
import { startSecretsManagerStandIn } from './secrets-manager-stand-in';
import { startSimulatorsOnFreePorts } from './simulator-ports';
import { startSimulatorsFor } from './simulators';
import { prepareLocalState, stateOptionsFrom } from './state';
import { requireVendorSecrets } from './vendor-secrets';

export interface CheckOptions {
  /** Queue and route ids; undefined: every queue. */
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
  const ids = options.queueIds === undefined ? [...config.queues.keys()] : options.queueIds.map((id) => targetOrThrow(config, id).id);
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
    const targets = ids.map((id) => targetOrThrow(config, id));
    const failed = await Promise.all(targets.map((target) => ('vendor' in target ? checkQueue(runtime, target) : checkRoute(runtime, target))));
    return failed.includes(true) ? 2 : 0;
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

/** Prints the queue's decision; true when its vendor failed. */
async function checkQueue(runtime: Runtime, queue: GateQueue): Promise<boolean> {
  const { decision } = await runtime.gate.check(queue);
  process.stdout.write(`${JSON.stringify(decision)}\n`);
  // A likely configuration mistake the vendor does not report (`checkAdvice`, e.g. VICIdial's zeros).
  const advice =
    decision.availableAgents === null
      ? undefined
      : vendorModule(queue.vendor).checkAdvice?.({ available: decision.availableAgents, total: decision.totalAgents });
  if (advice) process.stderr.write(`warning: queue "${decision.queue}": ${advice}\n`);
  return decision.vendorError !== undefined;
}

/** Prints the route's answer (docs/callers/routes-and-destinations.md); true when a member's vendor failed or was cut off. */
async function checkRoute(runtime: Runtime, route: GateRoute): Promise<boolean> {
  const answer = await answerRoute(runtime, { route });
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  return answer.tried.some((member) => member.vendorError !== undefined);
}

function targetOrThrow(config: GateConfig, id: string): GateQueue | GateRoute {
  const target = config.queues.get(id) ?? config.routes.get(id);
  if (target) return target;
  const routes = [...config.routes.keys()].join(', ') || 'none';
  throw new ConfigError(`no queue or route "${id}" in the config; queues: ${[...config.queues.keys()].join(', ')}; routes: ${routes}`);
}
