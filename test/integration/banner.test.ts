/**
 * The banner with a secrets file of your own (docs/operators/running-locally.md, "The banner"):
 * its curl lines, pasted into a shell with GATE_KEY set, answer 200 (the shell substitutes the
 * key inside double quotes). A vendor secret missing from the file stops the start, and the
 * gate's Secrets Manager stand-in answers only the gate.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bannerText } from '../../local/banner';
import { type LocalGate, startLocalGate } from '../../local/server';
import { ConfigError } from '../../shared/errors';
import { callerEntry, freePorts } from '../support/local-gate';

const callerKey = 'banner-it-key-0123456789abcdef';
const dir = mkdtempSync(path.join(tmpdir(), 'transfer-gate-banner-'));
const configFile = path.join(dir, 'gate.config.json');
const secretsFile = path.join(dir, 'secrets.json');
const callers = { callers: [callerEntry('mine', callerKey, ['*'])] };
let gate: LocalGate;
let banner: string;

beforeAll(async () => {
  const [port] = await freePorts(1);
  writeFileSync(
    configFile,
    JSON.stringify({ queues: [{ id: 'mine', vendor: 'aloware', secret: 'tg/mine', ringGroupId: 1, baseUrl: `http://127.0.0.1:${port}`, holdMs: 10_000 }] }),
  );
  writeFileSync(secretsFile, JSON.stringify({ 'transfer-gate/callers': callers, 'tg/mine': { apiToken: 'mine-token' } }));
  gate = await startLocalGate({ configFile, secretsFile, port: 0, state: 'memory' });
  banner = bannerText(gate, {
    config: { file: configFile, from: '--config', demo: false },
    secrets: { file: secretsFile, from: '--secrets' },
    secondGatePort: 1,
  });
}, 20_000);
afterAll(async () => {
  await gate?.close();
  rmSync(dir, { recursive: true, force: true });
});

function pasted(line: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', `${line} -o /dev/null -w '%{http_code}'`], { env: { PATH: process.env.PATH, ...env } }, (error, stdout) =>
      error ? reject(error) : resolve(Number(stdout)),
    );
  });
}

it('a vendor secret the config names but the secrets file lacks stops the start, naming it', async () => {
  const partial = path.join(dir, 'partial.json');
  writeFileSync(partial, JSON.stringify({ 'transfer-gate/callers': callers }));
  // As npm start asks for it (local/start.ts).
  const start = startLocalGate({ configFile, secretsFile: partial, port: 0, state: 'memory', requireVendorSecrets: true });
  await expect(start).rejects.toBeInstanceOf(ConfigError);
  await expect(start).rejects.toThrow(/no secret "tg\/mine" \(queue "mine", aloware\)/);
});

it('names the files, asks for GATE_KEY, and prints no demo key', () => {
  // Outside the project folder, paths are shown whole.
  expect(banner).toContain(`config:  ${configFile} (--config)\nsecrets: ${secretsFile} (--secrets)`);
  expect(banner).toMatch(/set GATE_KEY to one of your callers' keys/);
  expect(banner).not.toMatch(/tg_demo_/);
});

it('every GET curl line answers 200 when pasted with GATE_KEY set, and 401 without it', async () => {
  const lines = [...banner.matchAll(/^ {2}(curl -s .*\$GATE_KEY.*)$/gm)].map((match) => match[1]!).filter((line) => !line.includes(' -X '));
  expect(lines.length).toBe(3);
  for (const line of lines) {
    expect({ line, status: await pasted(line, { GATE_KEY: callerKey }) }).toEqual({ line, status: 200 });
    expect({ line, status: await pasted(line, {}) }).toEqual({ line, status: 401 });
  }
});

it("the gate's Secrets Manager stand-in refuses an unsigned request", async () => {
  const response = await fetch(gate.secretsManager.url, {
    method: 'POST',
    headers: { 'x-amz-target': 'secretsmanager.GetSecretValue', 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ SecretId: 'tg/mine' }),
  });
  expect(response.status).toBe(403);
  expect(await response.text()).not.toContain('mine-token');
});
