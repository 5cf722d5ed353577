/**
 * `npm start [-- --config FILE --secrets FILE --port N --no-simulators]
 *   [--state dynamodb|memory] [--dynamodb-endpoint URL --state-table NAME]`: the gate on
 * loopback with the demo config, demo secrets and vendor simulators unless told otherwise, its
 * state in an embedded dynalite (local/state.ts) unless told otherwise.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { hashKey } from '../shared/callers';
import { ConfigError } from '../shared/errors';
import { demoCallers } from './demo/demo-callers';
import { type LocalGate, startLocalGate } from './server';
import { stateOptionsFrom } from './state';

const demoDir = `${__dirname}/demo`;

async function main() {
  const { values } = parseArgs({
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
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be a port number, got "${values.port ?? process.env.PORT}"`);
  const secretsFile = values.secrets ?? process.env.GATE_SECRETS_FILE ?? `${demoDir}/secrets.json`;
  const gate = await startLocalGate({
    configFile: values.config ?? process.env.GATE_CONFIG_FILE ?? `${demoDir}/gate.config.json`,
    secretsFile,
    port,
    simulators: !values['no-simulators'],
    ...stateOptionsFrom(values, process.env, 'dynamodb'),
  });
  printBanner(gate, secretsFile, { config: values.config, secrets: values.secrets });
  const stop = () => void gate.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function printBanner(gate: LocalGate, secretsFile: string, files: { config?: string; secrets?: string }) {
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
    `  curl -s ${gate.url}/v1/openapi.json`,
  );
  lines.push(...holdLines(gate, key), ...routeLines(gate, key), ...overrideLines(gate, callersJson));
  const simulated = [...new Set(gate.simulators.values())];
  if (simulated.length) {
    lines.push('', 'simulated vendors (switch a failure on with POST /__sim/mode, agents with POST /__sim/agents):');
    for (const simulator of simulated) lines.push(`  ${simulator.vendor.padEnd(10)} ${simulator.url}   e.g. curl -s -X POST ${simulator.url}/__sim/mode -d '{"mode":"5xx"}'`);
  }
  lines.push('', ...stateLines(gate, files));
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

/** On a queue with holds: a "yes" that keeps its agent, and its release (gate-contract.md section 7). */
function holdLines(gate: LocalGate, key: string): string[] {
  const queue = [...gate.config.queues.values()].find((candidate) => candidate.policy.holdMs > 0);
  if (!queue) return [];
  const base = `${gate.url}/v1/queues/${queue.id}`;
  return [
    '',
    `holds on "${queue.id}" (holdMs ${queue.policy.holdMs}): a yes for a named call keeps its agent; release it early with DELETE`,
    `  curl -s -H 'x-api-key: ${key}' '${base}/availability?callerId=%2B15551234567'`,
    `  curl -s -X DELETE -H 'x-api-key: ${key}' ${base}/holds/%2B15551234567`,
  ];
}

/** Each route: one ping over its queues, and its hold release (docs/callers/routes-and-destinations.md). */
function routeLines(gate: LocalGate, key: string): string[] {
  const routes = [...gate.config.routes.values()];
  if (!routes.length) return [];
  const lines = ['', 'routes (one ping asks every member; the answer names the queue chosen, where to send the call and what each member said):'];
  for (const route of routes) {
    const base = `${gate.url}/v1/routes/${route.id}`;
    lines.push(`  curl -s -H 'x-api-key: ${key}' '${base}/availability?callerId=%2B15557654321'`, `  curl -s -X DELETE -H 'x-api-key: ${key}' ${base}/holds/%2B15557654321`);
  }
  return lines;
}

/** With the demo's admin caller: close a queue for a while, and end the override (gate-contract.md section 8). */
function overrideLines(gate: LocalGate, callersJson: string): string[] {
  const admin = demoCallers.find((caller) => 'admin' in caller && caller.admin && callersJson.includes(hashKey(caller.key)));
  const first = [...gate.config.queues.keys()][0];
  if (!admin || !first) return [];
  const url = `${gate.url}/v1/queues/${first}/override`;
  return [
    '',
    `demo admin key (local demo only; may close or open a queue with an override): ${admin.key}`,
    `  curl -s -X PUT -H 'x-api-key: ${admin.key}' -H 'content-type: application/json' -d '{"state":"closed","note":"demo"}' ${url}`,
    `  curl -s -X DELETE -H 'x-api-key: ${admin.key}' ${url}`,
    `the console (type the admin key in; docs/on-call/console.md): ${gate.url}/console`,
    `  curl -s -H 'x-api-key: ${admin.key}' ${gate.url}/v1/status`,
    'every availability answer prints its traffic metrics (EMF) on this output, as the function does (docs/on-call/traffic-metrics.md)',
  ];
}

/** Where the state lives, and the command for a second gate sharing it (as two Lambda containers share the table). */
function stateLines(gate: LocalGate, files: { config?: string; secrets?: string }): string[] {
  const { state } = gate;
  if (state.kind === 'memory') return ['state: in this process\'s memory (--state memory); a second gate would not share it'];
  const where = state.embedded ? `an embedded dynalite at ${state.endpoint} (in memory, gone when this gate stops)` : state.endpoint;
  const port = Number(new URL(gate.url).port) + 1;
  const fileArgs = [files.config && `--config ${files.config}`, files.secrets && `--secrets ${files.secrets}`].filter(Boolean).join(' ');
  return [
    `state: DynamoDB table ${state.tableName} on ${where}${state.table === 'created' ? ' (table created)' : ''}`,
    'a second gate sharing this state (and this gate\'s simulators), in another terminal:',
    `  npm start -- --port ${port} --no-simulators --dynamodb-endpoint ${state.endpoint} --state-table ${state.tableName}${fileArgs ? ` ${fileArgs}` : ''}`,
  ];
}

main().catch((error: NodeJS.ErrnoException) => {
  const hint = error.code === 'EADDRINUSE' ? ' (is another npm start running? the demo simulators use ports from 3101 up; --port moves the gate, and --no-simulators uses the running ones: for a second gate that shares the state, run the command the first banner prints)' : '';
  process.stderr.write(`${error instanceof ConfigError ? error.message : `could not start: ${error.message}${hint}`}\n`);
  process.exit(1);
});
