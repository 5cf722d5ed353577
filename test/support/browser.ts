/**
 * A real browser for tests of the pages the gate serves (docs/on-call/console.md): Debian's
 * chromium (apt-get install chromium; .ci/install-chromium) driven by playwright-core, which
 * downloads no browser of its own. `CHROMIUM_PATH` names another Chromium build.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { demoCallers } from '../../local/demo/demo-callers';
import { freePorts, startTestGate, type TestGate } from './local-gate';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser's path, or why there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): { path: string } | { missing: string } {
  const paths = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : candidates;
  for (const candidate of paths) {
    try {
      accessSync(candidate, constants.X_OK);
      return { path: candidate };
    } catch {
      // try the next one
    }
  }
  return { missing: `no Chromium at ${paths.join(', ')} (apt-get install -y chromium, or .ci/install-chromium; or set CHROMIUM_PATH)` };
}

/** As root (these machines, CI containers) Chromium's sandbox needs --no-sandbox. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: ['--no-sandbox'], headless: true });
}

const root = path.join(__dirname, '..', '..');

/**
 * The demo (local/demo: its config, its secrets and keys, its simulators), with the simulators on
 * free ports instead of 3101-3105, so that the test never meets a running `npm start`.
 */
export async function startDemoGate(): Promise<TestGate> {
  const configText = readFileSync(path.join(root, 'local', 'demo', 'gate.config.json'), 'utf8');
  const demoPorts = [...new Set([...configText.matchAll(/127\.0\.0\.1:(\d+)/g)].map((match) => match[1]!))];
  const ports = await freePorts(demoPorts.length);
  const moved = demoPorts.reduce((text, port, index) => text.replaceAll(`127.0.0.1:${port}`, `127.0.0.1:${ports[index]}`), configText);
  const { $schema: _schema, ...config } = JSON.parse(moved);
  const secrets = JSON.parse(readFileSync(path.join(root, 'local', 'demo', 'secrets.json'), 'utf8'));
  return startTestGate({ config, secrets });
}

export const demoKey = demoCallers.find((caller) => caller.name === 'demo')!.key;
export const demoAdminKey = demoCallers.find((caller) => caller.name === 'demo-admin')!.key;
