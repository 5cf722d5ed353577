/**
 * The newcomer's path: `npm start` as a child process (the real CLI, demo config, demo secrets,
 * simulators, state in an embedded dynalite), then every curl line it prints, followed as
 * written: each demo queue answers. Then the second gate it prints (section 6 "Locally"): its
 * command, run as written, shares the first gate's state and simulators.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const children: ChildProcess[] = [];
let banner = '';
/** The demo's queue ids, from the demo config (one queue per registered vendor, checked in demo.test.ts). */
const demoQueueIds: string[] = JSON.parse(readFileSync(path.join(root, 'local', 'demo', 'gate.config.json'), 'utf8')).queues.map((queue: { id: string }) => queue.id);

/** Everything each gate has printed on stdout so far. */
const printed = new Map<ChildProcess, string>();

/** Runs local/start.ts with `args` until its banner is complete. */
async function startGate(args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', ...args], {
    cwd: root,
    // Metrics on, as in `npm start` (jest-setup.ts quiets them in this process).
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'false', AWS_ENDPOINT_URL_DYNAMODB: '', GATE_STATE_TABLE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no banner:\n${output}`)), 15_000);
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      printed.set(child, output);
      if (output.includes('--state-table') || output.includes('state: in this process')) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.stderr!.on('data', (chunk) => (output += String(chunk)));
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

beforeAll(async () => {
  banner = await startGate(['--port', '0']);
}, 20_000);

afterAll(async () => {
  // The second gate first: the first one owns the embedded dynalite.
  for (const child of [...children].reverse()) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
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

it('prints each answer\'s traffic metrics (EMF) on its output, as the function does', async () => {
  const curl = printedCurls().find((candidate) => candidate.url.endsWith('/v1/queues/sales/availability'))!;
  await fetch(curl.url, { headers: curl.headers });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const emf = printed.get(children[0]!)!.split('\n').filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
  expect(emf).toEqual(expect.arrayContaining([expect.objectContaining({ queue: 'sales', seller: 'demo', Answers: 1 })]));
});

it.each([
  ['in its own memory', () => []],
  ['on the running gate\'s table (--dynamodb-endpoint)', () => ['--dynamodb-endpoint', /--dynamodb-endpoint (\S+)/.exec(banner)![1]!, '--state-table', 'transfer-gate-state']],
])('npm run check -- --all checks the demo (no gate.config.json) against the running simulators, %s', async (_name, extraArgs) => {
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const env = { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' };
    execFile(process.execPath, ['--import', 'tsx', 'local/check-cli.ts', '--all', ...extraArgs()], { cwd: root, env }, (error, out) =>
      resolve({ code: error ? (error.code as number) : 0, stdout: out }),
    );
  });
  const decisions = stdout.trim().split('\n').map((line) => JSON.parse(line));
  expect(decisions.map((decision) => decision.queue).sort()).toEqual([...demoQueueIds].sort());
  expect(decisions.filter((decision) => decision.reason !== 'agents_available')).toEqual([]);
  expect(code).toBe(0);
}, 20_000);

interface Answer {
  queue: string;
  canTransfer: boolean;
  source: string;
  checkedAt: string;
}

it('keeps the state in an embedded dynalite and prints a second gate that shares it', async () => {
  expect(banner).toMatch(/state: DynamoDB table transfer-gate-state on an embedded dynalite at http:\/\/127\.0\.0\.1:\d+/);
  const command = /npm start -- (--port \d+ --no-simulators --dynamodb-endpoint http:\/\/127\.0\.0\.1:\d+ --state-table transfer-gate-state)\n/.exec(banner)?.[1];
  expect(command).toBeDefined();
  // As printed, but on a free port.
  const second = await startGate(command!.replace(/--port \d+/, '--port 0').split(' '));
  expect(second).not.toContain('simulated vendors');
  const firstUrl = /listening on (\S+)/.exec(banner)![1];
  const secondUrl = /listening on (\S+)/.exec(second)![1];
  const { url, headers } = printedCurls()[0]!;
  const ask = async (base: string): Promise<Answer> => (await fetch(url.replace(firstUrl!, base!), { headers })).json() as Promise<Answer>;
  // A reading the first gate has just made (demo cacheTtlMs 3 s) is the second gate's cached answer.
  let first = await ask(firstUrl!);
  for (let tries = 0; first.source !== 'live' && tries < 10; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    first = await ask(firstUrl!);
  }
  expect(first.source).toBe('live');
  const shared = await ask(secondUrl!);
  expect({ source: shared.source, checkedAt: shared.checkedAt }).toEqual({ source: 'cache', checkedAt: first.checkedAt });
  // Every demo queue answers on the second gate, from the first gate's simulators.
  for (const curl of printedCurls().filter((line) => line.url.includes('/availability') && !line.url.includes('format='))) {
    const decision = (await (await fetch(curl.url.replace(firstUrl!, secondUrl!), { headers: curl.headers })).json()) as Answer;
    expect({ queue: decision.queue, canTransfer: decision.canTransfer }).toEqual({ queue: decision.queue, canTransfer: true });
  }
}, 30_000);
