/**
 * Amazon Connect through every entry point (HTTP, the Connect contact flow, the scheduled check,
 * `npm run check`) against the local simulator, with the real `@aws-sdk/client-connect` (and, for
 * the queue on another account's role, `@aws-sdk/client-sts`) speaking the AWS protocols to it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { handler as connectHandler } from '../../functions/connect/handler';
import { handler as scheduledHandler } from '../../functions/scheduled/handler';
import type { VendorSimulator } from '../../local/simulators/simulator';
import { lambdaContext } from '../support/api-gateway-event';
import { captureLogs } from '../support/logs';
import { type TestGate, callerEntry, freePorts, startTestGate } from '../support/local-gate';
import { contactFlowEvent } from '../infra/support/contact-flow-event';

const callerKey = 'connect-integration-caller-key';
const externalId = 'SENTINEL-CONNECT-INTEGRATION-EXTERNAL-ID';
const ids = { region: 'us-east-1', instanceId: '0f8fad5b-d9cb-469f-a165-70867728950e', queueId: '457857dc-19eb-4eb9-b562-c90ca37de447' };
const root = path.join(__dirname, '..', '..');

const failingModes = [
  ['403', 'auth'],
  ['401', 'auth'],
  ['5xx', 'server'],
  ['html', 'bad_payload'],
  ['bad-json', 'bad_payload'],
  ['429', 'rate_limited'],
] as const;

let gate: TestGate;
let own: VendorSimulator;
let buyer: VendorSimulator;
let failing: VendorSimulator;
let logs: ReturnType<typeof captureLogs>;
let dir: string;
const config = (ports: number[]) => ({
  defaults: { cacheTtlMs: 0, timeoutMs: 2000 },
  queues: [
    { id: 'connect', vendor: 'amazon-connect', ...ids, endpoint: `http://127.0.0.1:${ports[0]}` },
    // On a simulator told to forget its queues (a typo, as Connect sees it): an empty list, then DescribeQueue's 404.
    { id: 'connect-typo', vendor: 'amazon-connect', ...ids, endpoint: `http://127.0.0.1:${ports[3]}` },
    {
      id: 'connect-buyer',
      vendor: 'amazon-connect',
      ...ids,
      roleArn: 'arn:aws:iam::210987654321:role/gate-reader',
      secret: 'tg/connect-buyer',
      endpoint: `http://127.0.0.1:${ports[1]}`,
    },
    // One queue per failure mode (a failure backs its queue off), on a simulator of their own, in a Region of their own (a throttle blocks the Region).
    ...[...failingModes.map(([mode]) => mode), 'blocked'].map((name) => ({
      id: `connect-${name}`,
      vendor: 'amazon-connect',
      ...ids,
      region: 'eu-west-2',
      endpoint: `http://127.0.0.1:${ports[2]}`,
    })),
  ],
});
const secrets = {
  'transfer-gate/callers': { callers: [callerEntry('test', callerKey, ['*'])] },
  'tg/connect-buyer': { externalId },
};

beforeAll(async () => {
  const ports = await freePorts(4);
  logs = captureLogs();
  gate = await startTestGate({ config: config(ports), secrets });
  own = gate.simulators.get('connect')!;
  buyer = gate.simulators.get('connect-buyer')!;
  failing = gate.simulators.get('connect-403')!;
  dir = mkdtempSync(path.join(tmpdir(), 'transfer-gate-connect-'));
  writeFileSync(path.join(dir, 'gate.config.json'), JSON.stringify(config(ports)));
  writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify(secrets));
});

afterAll(async () => {
  await gate?.close();
  rmSync(dir, { recursive: true, force: true });
  logs.restore();
  expect(logs.text()).not.toContain('SENTINEL');
});

beforeEach(() => {
  for (const simulator of [own, buyer]) {
    simulator.setMode('ok');
    simulator.setAgents({ available: 2, busy: 1, away: 1, offline: 3 });
  }
});

const availability = async (queue: string) => (await gate.get(`/v1/queues/${queue}/availability`, { 'x-api-key': callerKey })).json;

it('HTTP: answers from GetCurrentMetricData, on the function role and on an assumed role', async () => {
  const counts = {
    canTransfer: true,
    reason: 'agents_available',
    availableAgents: 2,
    busyAgents: 1,
    awayAgents: 1,
    totalAgents: 4,
    vendor: 'amazon-connect',
    source: 'live',
  };
  expect(await availability('connect')).toMatchObject({ queue: 'connect', ...counts });
  expect(await availability('connect-buyer')).toMatchObject({ queue: 'connect-buyer', ...counts });
  expect(buyer.calls('/metrics/current/')).toBe(1);
  expect(buyer.calls('/')).toBe(2); // one AssumeRole (POST /), then the signed metrics call
});

it('HTTP: a queue id the instance does not hold is not_found, never 0 agents', async () => {
  const typo = gate.simulators.get('connect-typo')!;
  await fetch(`${typo.url}/__sim/forget-queues`, { method: 'POST' });
  expect(await availability('connect-typo')).toMatchObject({ canTransfer: false, reason: 'vendor_error', vendorError: 'not_found', availableAgents: null });
});

it.each(failingModes)('HTTP: a simulator in mode %s is vendorError %s, never 0 agents', async (mode, kind) => {
  failing.setMode(mode);
  expect(await availability(`connect-${mode}`)).toMatchObject({ reason: 'vendor_error', vendorError: kind, availableAgents: null });
});

it('HTTP: after a throttle the Region is blocked: no call for its other queues meanwhile', async () => {
  failing.resetCalls();
  failing.setMode('ok');
  expect(await availability('connect-blocked')).toMatchObject({ vendorError: 'rate_limited' });
  expect(failing.calls()).toBe(0);
});

it('the Connect contact flow answers its flat map', async () => {
  const answer = await connectHandler(contactFlowEvent({ queue: 'connect-buyer' }), lambdaContext());
  expect(answer).toMatchObject({ canTransfer: 'true', availableAgents: '2', vendor: 'amazon-connect', queue: 'connect-buyer', vendorError: '' });
});

it('the scheduled check reads every Connect queue', async () => {
  own.resetCalls();
  buyer.resetCalls();
  const summary = await scheduledHandler({}, lambdaContext());
  expect(summary).toMatchObject({ queues: 4 + failingModes.length, failures: 0 });
  expect(summary.canTransfer).toBeGreaterThanOrEqual(2);
  expect([own.calls('/metrics/current/'), buyer.calls('/metrics/current/')]).toEqual([1, 1]);
});

it('npm run check answers for a Connect queue against the running simulator', async () => {
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const args = [
      '--import',
      'tsx',
      'local/check-cli.ts',
      'connect',
      'connect-buyer',
      '--config',
      path.join(dir, 'gate.config.json'),
      '--secrets',
      path.join(dir, 'secrets.json'),
      '--simulators',
    ];
    execFile(process.execPath, args, { cwd: root, env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' } }, (error, out) =>
      resolve({ code: error ? (error.code as number) : 0, stdout: out }),
    );
  });
  const decisions = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(decisions).toMatchObject([
    { queue: 'connect', vendor: 'amazon-connect', availableAgents: 2 },
    { queue: 'connect-buyer', vendor: 'amazon-connect', availableAgents: 2 },
  ]);
  expect(code).toBe(0);
}, 30_000);
