/**
 * `npm start [-- --config FILE --secrets FILE --port N --no-simulators]`: the gate on loopback
 * with the demo config, demo secrets and vendor simulators unless told otherwise.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { hashKey } from '../shared/callers';
import { ConfigError } from '../shared/errors';
import { demoCallers } from './demo/demo-callers';
import { type LocalGate, startLocalGate } from './server';

const demoDir = `${__dirname}/demo`;

async function main() {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      secrets: { type: 'string' },
      port: { type: 'string' },
      'no-simulators': { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be a port number, got "${values.port ?? process.env.PORT}"`);
  const secretsFile = values.secrets ?? process.env.GATE_SECRETS_FILE ?? `${demoDir}/secrets.json`;
  const gate = await startLocalGate({
    configFile: values.config ?? process.env.GATE_CONFIG_FILE ?? `${demoDir}/gate.config.json`,
    secretsFile,
    port,
    simulators: !values['no-simulators'],
  });
  printBanner(gate, secretsFile);
  const stop = () => void gate.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function printBanner(gate: LocalGate, secretsFile: string) {
  const callersJson = JSON.stringify(JSON.parse(readFileSync(secretsFile, 'utf8'))[gate.config.callersSecret]);
  const demo = demoCallers.find((caller) => callersJson.includes(hashKey(caller.key)));
  const key = demo?.key ?? '$GATE_KEY';
  const lines = [`transfer-gate listening on ${gate.url}`, ''];
  if (demo) lines.push(`demo caller key (local demo only): ${demo.key}`, '');
  else lines.push('set GATE_KEY to one of your callers\' keys (npm run create-caller makes one)', '');
  lines.push('try:');
  for (const queue of gate.config.queues.values()) {
    lines.push(`  curl -s -H 'x-api-key: ${key}' ${gate.url}/v1/queues/${queue.id}/availability`);
  }
  const first = [...gate.config.queues.keys()][0];
  lines.push(
    `  curl -s '${gate.url}/v1/queues/${first}/availability?format=text&api_key=${key}'`,
    `  curl -s ${gate.url}/v1/health`,
  );
  const simulated = [...new Set(gate.simulators.values())];
  if (simulated.length) {
    lines.push('', 'simulated vendors (switch a failure on with POST /__sim/mode, agents with POST /__sim/agents):');
    for (const simulator of simulated) lines.push(`  ${simulator.vendor.padEnd(10)} ${simulator.url}   e.g. curl -s -X POST ${simulator.url}/__sim/mode -d '{"mode":"5xx"}'`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: NodeJS.ErrnoException) => {
  const hint = error.code === 'EADDRINUSE' ? ' (is another npm start running? the demo simulators use ports from 3101 up; --port moves the gate)' : '';
  process.stderr.write(`${error instanceof ConfigError ? error.message : `could not start: ${error.message}${hint}`}\n`);
  process.exit(1);
});
