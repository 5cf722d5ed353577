/**
 * `npm run check -- <queue-id> | --all [--config FILE] [--secrets FILE [--simulators]]
 *   [--state dynamodb|memory] [--dynamodb-endpoint URL --state-table NAME]`: runs the
 * gate's check from a terminal and prints each decision as JSON. Without --secrets it reads the
 * real Secrets Manager with your AWS credentials; with no config at all it checks the demo.
 * The state is this process's memory unless an endpoint is given (flag or
 * AWS_ENDPOINT_URL_DYNAMODB): then the table there, shared with running gates.
 * Exit code 0, or 2 when any vendor failed. An answer its vendor module flags as a likely
 * configuration mistake (`checkAdvice`, e.g. VICIdial's zeros) adds a warning on stderr.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadGateConfigFile } from '../shared/config/load-config';
import type { GateConfig, GateQueue } from '../shared/config/gate-config';
import { ConfigError } from '../shared/errors';
import { createRuntime, stateStoreFromEnv } from '../shared/runtime';
import { secretsManagerSource } from '../shared/secrets';
import { vendorModule } from '../shared/vendors/registry';
import { readSecretsFile, useSecretsManagerStandIn } from './server';
import { startSecretsManagerStandIn } from './secrets-manager-stand-in';
import { startSimulatorsFor } from './simulators';
import { prepareLocalState, stateOptionsFrom } from './state';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      all: { type: 'boolean', default: false },
      config: { type: 'string' },
      secrets: { type: 'string' },
      simulators: { type: 'boolean', default: false },
      state: { type: 'string' },
      'dynamodb-endpoint': { type: 'string' },
      'state-table': { type: 'string' },
    },
  });
  if (!values.all && positionals.length === 0) throw new ConfigError('usage: npm run check -- <queue-id> [...] | --all [--config FILE] [--secrets FILE [--simulators]]');
  const configFile = values.config ?? process.env.GATE_CONFIG_FILE;
  // A fresh clone has no gate.config.json: check the demo, as `npm start` serves it.
  const demo = !configFile && !existsSync('gate.config.json');
  if (demo) process.stderr.write('no gate.config.json here: checking the demo config against the built-in vendor simulators\n');
  const config = loadGateConfigFile(demo ? path.join(demoDir, 'gate.config.json') : (configFile ?? 'gate.config.json'));
  const queues = values.all ? [...config.queues.values()] : positionals.map((id) => queueOrThrow(config.queues, id));
  const secretsFile = values.secrets ?? process.env.GATE_SECRETS_FILE ?? (demo ? path.join(demoDir, 'secrets.json') : undefined);

  const cleanups: Array<() => Promise<unknown>> = [];
  const localState = await prepareLocalState(stateOptionsFrom(values, process.env, 'memory'));
  cleanups.push(localState.close);
  if (secretsFile) {
    const secrets = readSecretsFile(secretsFile, config);
    const standIn = await startSecretsManagerStandIn(secrets);
    cleanups.push(standIn.close);
    useSecretsManagerStandIn(standIn);
    if (values.simulators || demo) cleanups.push(await simulatorsOrRunning(config, secrets));
  }
  try {
    const runtime = createRuntime({ config, secretSource: secretsManagerSource(), store: stateStoreFromEnv() });
    const decisions = await Promise.all(queues.map((queue) => runtime.gate.check(queue).then((check) => check.decision)));
    for (const [index, decision] of decisions.entries()) {
      process.stdout.write(`${JSON.stringify(decision)}\n`);
      const advice = decision.availableAgents === null ? undefined : vendorModule(queues[index]!.vendor).checkAdvice?.({ available: decision.availableAgents, total: decision.totalAgents });
      if (advice) process.stderr.write(`warning: queue "${decision.queue}": ${advice}\n`);
    }
    return decisions.some((decision) => decision.vendorError) ? 2 : 0;
  } finally {
    await Promise.all(cleanups.map((cleanup) => cleanup()));
  }
}

const demoDir = path.join(__dirname, 'demo');

/** Starts the config's simulators; when their ports are taken (`npm start` is running them), uses those. */
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

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `check failed: ${error.name}: ${error.message}`}\n`);
    process.exit(1);
  },
);
