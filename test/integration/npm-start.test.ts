/**
 * The newcomer's path: `npm start` as a child process (the real CLI, demo config, demo secrets,
 * simulators), then every curl line it prints, followed as written: each demo queue answers.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
let child: ChildProcess;
let banner = '';
/** The demo's queue ids, from the demo config (one queue per registered vendor, checked in demo.test.ts). */
const demoQueueIds: string[] = JSON.parse(readFileSync(path.join(root, 'local', 'demo', 'gate.config.json'), 'utf8')).queues.map((queue: { id: string }) => queue.id);

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--port', '0'], {
    cwd: root,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no banner:\n${banner}`)), 15_000);
    child.stdout!.on('data', (chunk) => {
      banner += String(chunk);
      if (banner.includes('/v1/health')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk) => (banner += String(chunk)));
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${banner}`)));
  });
}, 20_000);

afterAll(async () => {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

/** `curl -s -H 'x-api-key: KEY' URL` lines, as printed. */
function printedCurls(): Array<{ url: string; headers: Record<string, string> }> {
  return [...banner.matchAll(/curl -s (?:-H '([^:]+): ([^']+)' )?'?(http:\/\/[^\s']+)'?/g)].map((match) => ({
    url: match[3]!,
    headers: match[1] ? { [match[1]]: match[2]! } : {},
  }));
}

it('prints a demo key and a curl line per demo queue', () => {
  expect(banner).toMatch(/demo caller key \(local demo only\): tg_demo_\S+/);
  const queues = printedCurls().map((curl) => /\/v1\/queues\/([^/]+)\//.exec(curl.url)?.[1]).filter(Boolean);
  expect(new Set(queues)).toEqual(new Set(demoQueueIds));
});

it('answers every printed curl line, each demo queue with a real decision', async () => {
  for (const curl of printedCurls()) {
    const response = await fetch(curl.url, { headers: curl.headers });
    const text = await response.text();
    expect({ url: curl.url, status: response.status }).toEqual({ url: curl.url, status: 200 });
    if (curl.url.includes('/availability') && !curl.url.includes('format=')) {
      const decision = JSON.parse(text);
      expect({ queue: decision.queue, reason: decision.reason }).toEqual({ queue: decision.queue, reason: expect.stringMatching(/^(agents_available|not_enough_agents)$/) });
      expect(decision.availableAgents).toBeGreaterThan(0);
    }
  }
});

it('npm run check -- --all checks the demo (no gate.config.json) against the running simulators', async () => {
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const env = { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' };
    execFile(process.execPath, ['--import', 'tsx', 'local/check-cli.ts', '--all'], { cwd: root, env }, (error, out) =>
      resolve({ code: error ? (error.code as number) : 0, stdout: out }),
    );
  });
  const decisions = stdout.trim().split('\n').map((line) => JSON.parse(line));
  expect(decisions.map((decision) => decision.queue).sort()).toEqual([...demoQueueIds].sort());
  expect(decisions.every((decision) => decision.reason === 'agents_available')).toBe(true);
  expect(code).toBe(0);
}, 20_000);
