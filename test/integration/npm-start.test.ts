/**
 * The newcomer's path: `npm start` as a child process (the real CLI, demo config, demo secrets,
 * simulators on free ports, state in an embedded dynalite), then every curl line it prints, run
 * in a shell as pasted: each demo queue answers. Then the second gate it prints (docs/operators/running-locally.md#two-gates-sharing-one-state): its command, run as written (its access key in its environment),
 * shares the first gate's state and simulators. No fixed port anywhere: `npm test` passes while
 * an `npm start` runs.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const children: ChildProcess[] = [];
let banner = '';
/** The demo's queue ids, from the demo config (one queue per registered vendor, checked in demo.test.ts). */
const demoQueueIds: string[] = JSON.parse(readFileSync(path.join(root, 'local', 'demo', 'gate.config.json'), 'utf8')).queues.map(
  (queue: { id: string }) => queue.id,
);
/**
 * A fresh clone has no gate.config.json, so `npm start` serves the demo by default. In a working
 * copy that has one (the deploy steps create it), the demo is named through GATE_CONFIG_FILE.
 */
const hasOwnConfig = existsSync(path.join(root, 'gate.config.json'));
const demoConfig = path.join(root, 'local', 'demo', 'gate.config.json');
const quietEnv = {
  ...process.env,
  POWERTOOLS_LOG_LEVEL: 'WARN',
  AWS_ENDPOINT_URL_DYNAMODB: '',
  GATE_STATE_TABLE: '',
  GATE_CONFIG_FILE: hasOwnConfig ? demoConfig : '',
  GATE_SECRETS_FILE: '',
};

/** Everything each gate has printed on stdout so far. */
const printed = new Map<ChildProcess, string>();

/** Runs local/start.ts with `args` until its banner is complete. */
async function startGate(args: string[], env: Record<string, string> = {}): Promise<string> {
  // Metrics on, as in `npm start` (jest-setup.ts quiets them in this process).
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', ...args], {
    cwd: root,
    env: { ...quietEnv, POWERTOOLS_METRICS_DISABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no banner:\n${output}`)), 15_000);
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      printed.set(child, output);
      if (/--state-table \S+ --config \S+ --secrets \S+\n/.test(output) || output.includes('state: in this process')) {
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

const curlLines = () => [...banner.matchAll(/^ {2}(curl -s .*)$/gm)].map((match) => match[1]!);
const simulatorUrls = () => [...banner.matchAll(/^ {2}[\w-]+ +(http:\/\/127\.0\.0\.1:\d+) +e\.g\./gm)].map((match) => match[1]!);
const portOf = (url: string) => Number(new URL(url).port);

/** A printed line run by a shell, as pasted (plus -w to see the status): [status, body]. */
function pasted(line: string, env: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', `${line} -w '\\n%{http_code}'`], { env: { PATH: process.env.PATH, ...env } }, (error, stdout) => {
      if (error) return reject(error);
      const cut = stdout.lastIndexOf('\n');
      resolve({ status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) });
    });
  });
}

it('names the files it loaded, prints a demo key and a curl line per demo queue', () => {
  const from = hasOwnConfig ? 'GATE_CONFIG_FILE' : 'the demo, as no gate.config.json is in the project folder';
  expect(banner).toContain(`config:  ${path.relative(process.cwd(), demoConfig)} (${from}); served from `);
  expect(banner).toMatch(/^secrets: local\/demo\/secrets\.json \(the demo secrets/m);
  expect(banner).toMatch(/demo caller key \(local demo only\): tg_demo_\S+/);
  const queues = curlLines()
    .map((line) => /\/v1\/queues\/([^/]+)\/availability/.exec(line)?.[1])
    .filter(Boolean);
  expect(new Set(queues)).toEqual(new Set(demoQueueIds));
});

it('answers every printed GET curl line pasted into a shell, each demo queue with a real decision', async () => {
  const gets = curlLines().filter((line) => !line.includes(' -X '));
  expect(gets.length).toBeGreaterThanOrEqual(demoQueueIds.length + 3);
  for (const line of gets) {
    const { status, body } = await pasted(line);
    expect({ line, status }).toEqual({ line, status: 200 });
    if (line.includes('/availability') && !line.includes('format=')) {
      const decision = JSON.parse(body);
      expect(decision.reason).toMatch(/^(agents_available|not_enough_agents)$/);
      expect(decision.availableAgents).toBeGreaterThan(0);
    }
  }
});

it("prints each answer's traffic metrics (EMF) on its output, as the function does", async () => {
  const line = curlLines().find((candidate) => candidate.includes('/v1/queues/sales/availability') && !candidate.includes('?'))!;
  expect((await pasted(line)).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const emf = printed
    .get(children[0]!)!
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line));
  expect(emf).toEqual(expect.arrayContaining([expect.objectContaining({ queue: 'sales', seller: 'demo', Answers: 1 })]));
});

it('runs the demo simulators on free ports chosen at start: the served config points at the ports the banner prints', () => {
  const servedFile = /served from (\S+gate\.config\.json)/.exec(banner)![1]!;
  // The HTTP vendors' URL is `baseUrl`; Amazon Connect's SDK client is pointed at its simulator by `endpoint`.
  type DemoQueue = { baseUrl?: string; endpoint?: string };
  const vendorUrl = (queue: DemoQueue) => (queue.baseUrl ?? queue.endpoint)!;
  const served = JSON.parse(readFileSync(servedFile, 'utf8')) as { queues: DemoQueue[] };
  const demo = JSON.parse(readFileSync(path.join(root, 'local', 'demo', 'gate.config.json'), 'utf8')) as { queues: DemoQueue[] };
  const servedPorts = new Set(served.queues.map((queue) => portOf(vendorUrl(queue))));
  expect(servedPorts).toEqual(new Set(simulatorUrls().map(portOf)));
  expect(simulatorUrls()).toHaveLength(new Set(demo.queues.map((queue) => portOf(vendorUrl(queue)))).size);
  // Only the ports moved.
  const withoutUrls = (queue: DemoQueue) => ({ ...queue, baseUrl: undefined, authUrl: undefined, endpoint: undefined });
  expect(served.queues.map(withoutUrls)).toEqual(demo.queues.map(withoutUrls));
});

/** `NAME=value ... npm start -- args` as printed: its environment and its arguments. */
function secondGateCommand(): { env: Record<string, string>; args: string[] } {
  const line = /^ {2}(AWS_ACCESS_KEY_ID=\S+ AWS_SECRET_ACCESS_KEY=\S+) npm start -- (.+)$/m.exec(banner);
  expect(line).not.toBeNull();
  return { env: Object.fromEntries(line![1]!.split(' ').map((pair) => pair.split('=', 2) as [string, string])), args: line![2]!.split(' ') };
}

it.each([
  ['in its own memory', () => ({ args: [], env: {} })],
  [
    "on the running gate's table (--dynamodb-endpoint, with the printed key)",
    () => ({
      args: ['--dynamodb-endpoint', /--dynamodb-endpoint (\S+)/.exec(banner)![1]!, '--state-table', 'transfer-gate-state'],
      env: secondGateCommand().env,
    }),
  ],
])(
  'npm run check -- --all checks the demo (no gate.config.json) against simulators of its own, %s',
  async (_name, extra) => {
    const { args, env } = extra();
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'local/check-cli.ts', '--all', ...args],
        { cwd: root, env: { ...quietEnv, POWERTOOLS_LOG_LEVEL: 'ERROR', ...env } },
        (error, out) => resolve({ code: error ? (error.code as number) : 0, stdout: out }),
      );
    });
    // Decision lines only: a table call slower than its 200 ms budget on a loaded machine adds an EMF metric line (StateStoreUnavailable).
    const decisions = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((line) => 'queue' in line);
    expect(decisions.map((decision) => decision.queue).sort()).toEqual([...demoQueueIds].sort());
    expect(decisions.filter((decision) => decision.reason !== 'agents_available')).toEqual([]);
    expect(code).toBe(0);
  },
  20_000,
);

interface Answer {
  queue: string;
  canTransfer: boolean;
  source: string;
  checkedAt: string;
}

it('keeps the state in an embedded dynalite that answers only its gates, and prints a second gate that shares it', async () => {
  expect(banner).toMatch(/state: DynamoDB table transfer-gate-state on an embedded dynalite at http:\/\/127\.0\.0\.1:\d+/);
  const endpoint = /--dynamodb-endpoint (\S+)/.exec(banner)![1]!;
  const unsigned = await fetch(endpoint, {
    method: 'POST',
    headers: { 'x-amz-target': 'DynamoDB_20120810.DeleteTable', 'content-type': 'application/x-amz-json-1.0' },
    body: '{"TableName":"transfer-gate-state"}',
  });
  expect(unsigned.status).toBe(403);
  const { env, args } = secondGateCommand();
  const firstUrl = /listening on (\S+)/.exec(banner)![1]!;
  // A free port of its own: not the first gate's, not a simulator's.
  const secondPort = Number(args[args.indexOf('--port') + 1]);
  expect([portOf(firstUrl), ...simulatorUrls().map(portOf)]).not.toContain(secondPort);
  // As printed.
  const second = await startGate(args, env);
  expect(second).not.toContain('simulated vendors');
  const secondUrl = /listening on (\S+)/.exec(second)![1]!;
  expect(portOf(secondUrl)).toBe(secondPort);
  const headers = { 'x-api-key': /demo caller key \(local demo only\): (\S+)/.exec(banner)![1]! };
  const ask = async (base: string, queue = demoQueueIds[0]): Promise<Answer> =>
    (await fetch(`${base}/v1/queues/${queue}/availability`, { headers })).json() as Promise<Answer>;
  // A reading the first gate has just made (demo cacheTtlMs 3 s) is the second gate's cached answer.
  let first = await ask(firstUrl);
  for (let tries = 0; first.source !== 'live' && tries < 10; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    first = await ask(firstUrl);
  }
  expect(first.source).toBe('live');
  const shared = await ask(secondUrl);
  expect({ source: shared.source, checkedAt: shared.checkedAt }).toEqual({ source: 'cache', checkedAt: first.checkedAt });
  // Every demo queue answers on the second gate, from the first gate's simulators.
  for (const queue of demoQueueIds) {
    const decision = await ask(secondUrl, queue);
    expect({ queue: decision.queue, canTransfer: decision.canTransfer }).toEqual({ queue, canTransfer: true });
  }
}, 30_000);
