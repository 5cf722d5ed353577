/**
 * What `npm start` prints once it listens (docs/operators/running-locally.md, "The banner"):
 * where it listens, the files it loaded, curl lines that work when pasted into a POSIX shell, the
 * simulators' ports, where the state lives, and the command for a second gate sharing it.
 */
import { readFileSync } from 'node:fs';
import { hashKey } from '../shared/callers';
import { accessKeyEnvPrefix } from './access-key';
import { type ChosenConfig, type ChosenFile, shownPath } from './config-files';
import { demoCallers } from './demo/demo-callers';
import type { LocalGate } from './server';

export interface BannerInputs {
  config: ChosenConfig;
  secrets: ChosenFile;
  /** A port free when the gate started, for the second gate's command. */
  secondGatePort: number;
}

/** A word for a POSIX shell: as is when safe, else in single quotes. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function bannerText(gate: LocalGate, inputs: BannerInputs): string {
  const callersJson = JSON.stringify(JSON.parse(readFileSync(inputs.secrets.file, 'utf8'))[gate.config.callersSecret]);
  const demo = demoCallers.find((caller) => callersJson.includes(hashKey(caller.key)));
  // In double quotes: the shell substitutes $GATE_KEY there (in single quotes it would not).
  const key = demo?.key ?? '$GATE_KEY';
  const lines = [`transfer-gate listening on ${gate.url}`, '', ...fileLines(gate, inputs), ''];
  if (demo) lines.push(`demo caller key (local demo only): ${demo.key}`, '');
  else lines.push("set GATE_KEY to one of your callers' keys first (npm run create-caller makes one): export GATE_KEY=...", '');
  lines.push('try:');
  for (const queue of gate.config.queues.values()) {
    lines.push(`  curl -s -H "x-api-key: ${key}" ${gate.url}/v1/queues/${queue.id}/availability`);
  }
  const first = [...gate.config.queues.keys()][0];
  lines.push(
    `  curl -s "${gate.url}/v1/queues/${first}/availability?format=text&api_key=${key}"`,
    `  curl -s ${gate.url}/v1/health`,
    `  curl -s ${gate.url}/v1/openapi.json`,
  );
  lines.push(...holdLines(gate, key), ...routeLines(gate, key), ...overrideLines(gate, callersJson), ...simulatorLines(gate), '', ...stateLines(gate, inputs));
  return `${lines.join('\n')}\n\n`;
}

function fileLines(gate: LocalGate, inputs: BannerInputs): string[] {
  const moved = gate.configFile !== inputs.config.file && inputs.config.demo ? `; served from ${gate.configFile}, its simulators moved to free ports` : '';
  return [`config:  ${shownPath(inputs.config.file)} (${inputs.config.from})${moved}`, `secrets: ${shownPath(inputs.secrets.file)} (${inputs.secrets.from})`];
}

/** On a queue with holds: a "yes" that keeps its agent, and its release (docs/operators/holds.md). */
function holdLines(gate: LocalGate, key: string): string[] {
  const queue = [...gate.config.queues.values()].find((candidate) => candidate.policy.holdMs > 0);
  if (!queue) return [];
  const base = `${gate.url}/v1/queues/${queue.id}`;
  return [
    '',
    `holds on "${queue.id}" (holdMs ${queue.policy.holdMs}): a yes for a named call keeps its agent; release it early with DELETE`,
    `  curl -s -H "x-api-key: ${key}" '${base}/availability?callerId=%2B15551234567'`,
    `  curl -s -X DELETE -H "x-api-key: ${key}" ${base}/holds/%2B15551234567`,
  ];
}

/** Each route: one ping over its queues, and its hold release (docs/callers/routes-and-destinations.md). */
function routeLines(gate: LocalGate, key: string): string[] {
  const routes = [...gate.config.routes.values()];
  if (!routes.length) return [];
  const lines = ['', 'routes (one ping asks every member; the answer names the queue chosen, where to send the call and what each member said):'];
  for (const route of routes) {
    const base = `${gate.url}/v1/routes/${route.id}`;
    lines.push(
      `  curl -s -H "x-api-key: ${key}" '${base}/availability?callerId=%2B15557654321'`,
      `  curl -s -X DELETE -H "x-api-key: ${key}" ${base}/holds/%2B15557654321`,
    );
  }
  return lines;
}

/** With the demo's admin caller: close a queue for a while, and end the override (docs/operators/hours-and-overrides.md#emergency-overrides). */
function overrideLines(gate: LocalGate, callersJson: string): string[] {
  const admin = demoCallers.find((caller) => 'admin' in caller && caller.admin && callersJson.includes(hashKey(caller.key)));
  const first = [...gate.config.queues.keys()][0];
  if (!admin || !first) return [];
  const url = `${gate.url}/v1/queues/${first}/override`;
  return [
    '',
    `demo admin key (local demo only; may close or open a queue with an override): ${admin.key}`,
    `  curl -s -X PUT -H "x-api-key: ${admin.key}" -H 'content-type: application/json' -d '{"state":"closed","note":"demo"}' ${url}`,
    `  curl -s -X DELETE -H "x-api-key: ${admin.key}" ${url}`,
    `the console (type the admin key in; docs/on-call/console.md): ${gate.url}/console`,
    `  curl -s -H "x-api-key: ${admin.key}" ${gate.url}/v1/status`,
    'every availability answer prints its traffic metrics (EMF) on this output, as the function does (docs/on-call/traffic-metrics.md)',
  ];
}

function simulatorLines(gate: LocalGate): string[] {
  const simulated = [...new Set(gate.simulators.values())];
  if (!simulated.length) return [];
  return [
    '',
    'simulated vendors (switch a failure on with POST /__sim/mode, agents with POST /__sim/agents):',
    ...simulated.map((simulator) => `  ${simulator.vendor.padEnd(14)} ${simulator.url}   e.g. curl -s -X POST ${simulator.url}/__sim/mode -d '{"mode":"5xx"}'`),
  ];
}

/** Where the state lives, and the command for a second gate sharing it (as two Lambda containers share the table). */
function stateLines(gate: LocalGate, inputs: BannerInputs): string[] {
  const { state } = gate;
  if (state.kind === 'memory') return ["state: in this process's memory (--state memory); a second gate would not share it"];
  const where = state.embedded
    ? `an embedded dynalite at ${state.endpoint} (in memory, gone when this gate stops; it answers only this gate's access key)`
    : state.endpoint;
  const args = ['--port', String(inputs.secondGatePort), '--no-simulators', '--dynamodb-endpoint', state.endpoint, '--state-table', state.tableName];
  args.push('--config', gate.configFile, '--secrets', inputs.secrets.file);
  return [
    `state: DynamoDB table ${state.tableName} on ${where}${state.table === 'created' ? ' (table created)' : ''}`,
    "a second gate sharing this state (and this gate's simulators), in another terminal; the access key goes in its environment:",
    `  ${accessKeyEnvPrefix(gate.secretsManager.accessKey)}npm start -- ${args.map(shellWord).join(' ')}`,
  ];
}
