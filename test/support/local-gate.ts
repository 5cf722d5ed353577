/**
 * Starts the real local server (local/server.ts) on loopback for an integration test: writes the
 * config and secrets to a temp dir, lets the server start the simulators the config points at.
 * One gate per test file: the handler keeps its runtime for the process's life, as Lambda does.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LocalGate, startLocalGate } from '../../local/server';
import type { LocalStateOptions } from '../../local/state';

/** Free loopback ports for simulators (the config must name them before they start). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import('node:net').Server>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export interface TestGate extends LocalGate {
  /** GET a gate path; `headers` as given. */
  get(pathAndQuery: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; text: string; json: any }>;
}

/** `state`: default memory (these tests are about other things; npm-start.test.ts and shared-state.test.ts run the table). */
export async function startTestGate(
  options: { config: unknown; secrets: Record<string, unknown>; personalDataMarker?: string; requestsPerTurn?: number } & LocalStateOptions,
): Promise<TestGate> {
  const dir = mkdtempSync(path.join(tmpdir(), 'transfer-gate-'));
  const configFile = path.join(dir, 'gate.config.json');
  const secretsFile = path.join(dir, 'secrets.json');
  writeFileSync(configFile, JSON.stringify(options.config));
  writeFileSync(secretsFile, JSON.stringify(options.secrets));
  const { config: _config, secrets: _secrets, ...rest } = options;
  const gate = await startLocalGate({ ...rest, state: options.state ?? 'memory', configFile, secretsFile, port: 0 });
  return {
    ...gate,
    async get(pathAndQuery, headers = {}) {
      const response = await fetch(`${gate.url}${pathAndQuery}`, { headers });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
    async close() {
      await gate.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A callers secret entry for a key (only the hash is stored). */
export function callerEntry(name: string, key: string, queues: string[]) {
  return { name, keySha256: createHash('sha256').update(key).digest('hex'), queues };
}
