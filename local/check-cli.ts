/**
 * `npm run check -- <queue-id> | --all [options]`: runs the gate's check from a terminal and
 * prints each decision as JSON. Exit code 0, or 2 when any vendor failed, 1 for a bad config or
 * command line. docs/operators/running-locally.md explains the options.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { GateConfig, GateQueue } from '../shared/config/gate-config';
import { loadGateConfigFile } from '../shared/config/load-config';
import { ConfigError } from '../shared/errors';
import { createRuntime, stateStoreFromEnv } from '../shared/runtime';
import { secretsManagerSource } from '../shared/secrets';
import { exitWithUsage, parseCommandLine } from './cli-args';
import { chooseConfigFile, chooseSecretsFile, shownPath } from './config-files';
import { readSecretsFile, useSecretsManagerStandIn } from './server';
import { startSecretsManagerStandIn } from './secrets-manager-stand-in';
import { startSimulatorsOnFreePorts } from './simulator-ports';
import { startSimulatorsFor } from './simulators';
import { prepareLocalState, stateOptionsFrom } from './state';
import { requireVendorSecrets } from './vendor-secrets';

const usage = `usage: npm run check -- <queue-id> [<queue-id> ...] | --all [options]

  --all                      check every queue
  --config FILE              the gate config (or GATE_CONFIG_FILE); default: gate.config.json in
                             the project folder when present, else the demo
  --secrets FILE             read secrets from this file (or GATE_SECRETS_FILE) instead of AWS
                             Secrets Manager (which needs AWS credentials and a region)
  --simulators               start simulators for the config's loopback vendor URLs
  --state dynamodb|memory    default memory, or dynamodb when an endpoint is given
  --dynamodb-endpoint URL    share the table of running gates (or AWS_ENDPOINT_URL_DYNAMODB);
                             signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
  --state-table NAME         the table there (or GATE_STATE_TABLE)
  -h, --help                 this text

With the demo config it checks the demo against simulators of its own. Exit code 0, 2 when any
vendor could not be read, 1 for a bad config or command line.`;

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(usage, {
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
  if (!values.all && positionals.length === 0) exitWithUsage(usage, 'name the queues to check, or --all');
  const chosen = chooseConfigFile(values.config, process.env);
  process.stderr.write(`config: ${shownPath(chosen.file)} (${chosen.from})\n`);
  let config = loadGateConfigFile(chosen.file);
  const queueIds = values.all ? [...config.queues.keys()] : positionals.map((id) => queueOrThrow(config.queues, id).id);
  const secretsFile = chooseSecretsFile(values.secrets, process.env, chosen.demo);

  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const localState = await prepareLocalState(stateOptionsFrom(values, process.env, 'memory'));
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
      } else if (values.simulators) cleanups.push(await simulatorsOrRunning(config, secrets));
    } else await requireRegion();
    const runtime = createRuntime({ config, secretSource: secretsManagerSource(), store: stateStoreFromEnv() });
    const decisions = await Promise.all(queueIds.map((id) => runtime.gate.check(config.queues.get(id)!).then((check) => check.decision)));
    for (const decision of decisions) process.stdout.write(`${JSON.stringify(decision)}\n`);
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

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `check failed: ${error.name}: ${error.message}`}\n`);
    process.exit(1);
  },
);
