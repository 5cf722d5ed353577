/**
 * `npm start [-- options]`: the gate on loopback with the demo config, demo secrets and vendor
 * simulators unless told otherwise, its state in an embedded dynalite (local/state.ts) unless told
 * otherwise. The usage below lists every option; docs/operators/running-locally.md explains them.
 */
import { createServer } from 'node:net';
import { exitWithUsage, parseCommandLine } from './cli-args';
import { chooseConfigFile, chooseSecretsFile } from './config-files';
import { stateOptionsFrom } from './state';

const usage = `usage: npm start [-- options]

  --config FILE              the gate config (or GATE_CONFIG_FILE); default: gate.config.json in
                             the project folder when present, else the demo
  --secrets FILE             a JSON object of secret name -> value, with the callers secret and
                             every vendor secret the config names (or GATE_SECRETS_FILE);
                             default: the demo secrets
  --port N                   the gate's port on 127.0.0.1 (or PORT); default 3000, 0 picks one
  --no-simulators            start no vendor simulators (a second gate uses the first one's)
  --state dynamodb|memory    where the shared state lives; default dynamodb (an embedded dynalite)
  --dynamodb-endpoint URL    an existing DynamoDB-compatible endpoint (or AWS_ENDPOINT_URL_DYNAMODB)
  --state-table NAME         the table there (or GATE_STATE_TABLE); default transfer-gate-state
  -h, --help                 this text

A gate given --dynamodb-endpoint signs its requests with AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY from its environment: the first gate's banner prints the command.
See docs/operators/running-locally.md.`;

async function main() {
  const { values } = parseCommandLine(usage, {
    options: {
      config: { type: 'string' },
      secrets: { type: 'string' },
      port: { type: 'string' },
      'no-simulators': { type: 'boolean', default: false },
      state: { type: 'string' },
      'dynamodb-endpoint': { type: 'string' },
      'state-table': { type: 'string' },
    },
  });
  const portText = values.port ?? process.env.PORT ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) exitWithUsage(usage, `--port must be a port number (0 to 65535), got "${portText}"`);
  const config = chooseConfigFile(values.config, process.env);
  const secrets = chooseSecretsFile(values.secrets, process.env, true)!;
  const stateOptions = stateOptionsFrom(values, process.env, 'dynamodb');
  // Loaded after the command line is read: --help and usage errors answer at once.
  const { startLocalGate } = await import('./server');
  const { bannerText } = await import('./banner');
  const gate = await startLocalGate({
    ...stateOptions,
    configFile: config.file,
    secretsFile: secrets.file,
    port,
    simulators: !values['no-simulators'],
    simulatorsOnFreePorts: config.demo,
    requireVendorSecrets: true,
  });
  process.stdout.write(bannerText(gate, { config, secrets, secondGatePort: await freePort() }));
  const stop = () => void gate.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** A port nobody listens on right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

main().catch((error: NodeJS.ErrnoException) => {
  const hint = error.code === 'EADDRINUSE' ? ' (is another gate running on that port? --port moves this one; --port 0 picks a free one)' : '';
  process.stderr.write(`${error.name === 'ConfigError' ? error.message : `could not start: ${error.message}${hint}`}\n`);
  process.exit(1);
});
