/**
 * `npm run check -- <queue-or-route-id> ... | --all [--config FILE] [--secrets FILE [--simulators]]
 *   [--state dynamodb|memory] [--dynamodb-endpoint URL --state-table NAME]`: runs the
 * gate's check from a terminal and prints each decision as JSON (a route id: the route's answer,
 * its members probed as a seller's ping would, with no hold placed; --all checks the queues). Without --secrets it reads the
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
import type { GateConfig, GateQueue, GateRoute } from '../shared/config/gate-config';
import { ConfigError } from '../shared/errors';
import { answerRoute } from '../shared/routes/route-call';
import { type Runtime, createRuntime, stateStoreFromEnv } from '../shared/runtime';
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
  if (!values.all && positionals.length === 0) throw new ConfigError('usage: npm run check -- <queue-or-route-id> [...] | --all [--config FILE] [--secrets FILE [--simulators]]');
  const configFile = values.config ?? process.env.GATE_CONFIG_FILE;
  // A fresh clone has no gate.config.json: check the demo, as `npm start` serves it.
  const demo = !configFile && !existsSync('gate.config.json');
  if (demo) process.stderr.write('no gate.config.json here: checking the demo config against the built-in vendor simulators\n');
  const config = loadGateConfigFile(demo ? path.join(demoDir, 'gate.config.json') : (configFile ?? 'gate.config.json'));
  const targets = values.all ? [...config.queues.values()] : positionals.map((id) => targetOrThrow(config, id));
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
    const failed = await Promise.all(targets.map((target) => ('vendor' in target ? checkQueue(runtime, target) : checkRoute(runtime, target))));
    return failed.includes(true) ? 2 : 0;
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

/** Prints the queue's decision; true when its vendor failed. */
async function checkQueue(runtime: Runtime, queue: GateQueue): Promise<boolean> {
  const { decision } = await runtime.gate.check(queue);
  process.stdout.write(`${JSON.stringify(decision)}\n`);
  const advice = decision.availableAgents === null ? undefined : vendorModule(queue.vendor).checkAdvice?.({ available: decision.availableAgents, total: decision.totalAgents });
  if (advice) process.stderr.write(`warning: queue "${decision.queue}": ${advice}\n`);
  return decision.vendorError !== undefined;
}

/** Prints the route's answer; true when a member's vendor failed (or did not answer by the deadline). */
async function checkRoute(runtime: Runtime, route: GateRoute): Promise<boolean> {
  const answer = await answerRoute(runtime, { route });
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  return answer.tried.some((member) => member.vendorError !== undefined);
}

function targetOrThrow(config: GateConfig, id: string): GateQueue | GateRoute {
  const target = config.queues.get(id) ?? config.routes.get(id);
  if (!target) throw new ConfigError(`no queue or route "${id}" in the config; queues: ${[...config.queues.keys()].join(', ')}; routes: ${[...config.routes.keys()].join(', ') || 'none'}`);
  return target;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `check failed: ${error.name}: ${error.message}`}\n`);
    process.exit(1);
  },
);
