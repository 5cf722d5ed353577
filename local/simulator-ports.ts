/**
 * The demo's simulators listen on free ports chosen at start, so a running `npm start` never
 * blocks another one or `npm test` (docs/operators/running-locally.md, "The demo's simulators").
 * The demo config names fixed loopback ports; the gate is served a copy whose loopback URLs point
 * at the ports the simulators took, written to a private temp folder so a second gate can be
 * given the same file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loopbackHosts } from '../shared/config/fields';
import { type GateConfig, parseGateConfig } from '../shared/config/gate-config';
import { ConfigError } from '../shared/errors';
import { startSimulatorsFor } from './simulators';

export type StartedSimulators = Awaited<ReturnType<typeof startSimulatorsFor>>;

/** `text` with its loopback port replaced when `ports` moves it; anything else as it was. */
function movedUrl(text: string, ports: ReadonlyMap<number, number>): string {
  if (!URL.canParse(text)) return text;
  const url = new URL(text);
  if (!loopbackHosts.has(url.hostname)) return text;
  const moved = ports.get(Number(url.port || (url.protocol === 'https:' ? 443 : 80)));
  if (moved === undefined) return text;
  url.port = String(moved);
  const rewritten = url.toString();
  // An origin stays an origin: URL adds a "/" path that the config would not have.
  return !text.endsWith('/') && rewritten.endsWith('/') && url.pathname === '/' ? rewritten.slice(0, -1) : rewritten;
}

/** The config JSON with every loopback URL in its queues moved to the port `ports` gives (any vendor's URL fields). */
export function withMovedPorts(configJson: unknown, ports: ReadonlyMap<number, number>): unknown {
  if (!configJson || typeof configJson !== 'object' || !('queues' in configJson) || !Array.isArray(configJson.queues)) return configJson;
  const queues = configJson.queues.map((queue: unknown) =>
    queue && typeof queue === 'object'
      ? Object.fromEntries(Object.entries(queue).map(([field, value]) => [field, typeof value === 'string' ? movedUrl(value, ports) : value]))
      : queue,
  );
  const { $schema: _schema, ...rest } = configJson as Record<string, unknown>;
  return { ...rest, queues };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the gate config ${file}: ${(error as Error).message}`, { cause: error });
  }
}

export interface MovedSimulators {
  simulators: StartedSimulators;
  /** The config as served, its loopback URLs on the simulators' ports. */
  config: GateConfig;
  /** Where that config is written (a private temp folder, removed by close()). */
  configFile: string;
  close(): Promise<void>;
}

/** Starts the config's simulators on free ports and writes the config that points at them. */
export async function startSimulatorsOnFreePorts(
  configFile: string,
  config: GateConfig,
  secrets: Record<string, unknown>,
  personalDataMarker?: string,
): Promise<MovedSimulators> {
  const simulators = await startSimulatorsFor(config, secrets, { freePorts: true, personalDataMarker });
  const movedJson = withMovedPorts(readJson(configFile), simulators.ports);
  const dir = mkdtempSync(path.join(tmpdir(), 'transfer-gate-demo-'));
  const servedFile = path.join(dir, 'gate.config.json');
  try {
    writeFileSync(servedFile, `${JSON.stringify(movedJson, null, 2)}\n`, { mode: 0o600 });
    return {
      simulators,
      config: parseGateConfig(movedJson, servedFile),
      configFile: servedFile,
      close: async () => {
        await simulators.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await simulators.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
