/**
 * Twilio TaskRouter, Convoso and VICIdial through every entry point, against their simulators:
 * the HTTP API (the real local server), the Amazon Connect contact-flow answer, the scheduled
 * check and `npm run check` (docs/on-call/check-from-a-terminal.md).
 */
import '../support/verbose-logs';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createScheduledHandler } from '../../functions/scheduled/handler';
import { answerContactFlow } from '../../shared/connect/contact-flow';
import { createRuntime } from '../../shared/runtime';
import { lambdaContext } from '../support/api-gateway-event';
import { fakeSecretSource } from '../support/fake-secrets';
import { type TestGate, callerEntry, freePorts, startTestGate } from '../support/local-gate';
import { captureLogs } from '../support/logs';
import { contactFlowEvent } from '../infra/support/contact-flow-event';

const root = path.join(__dirname, '..', '..');
const callerKey = 'three-vendors-caller-key';
const secrets = {
  'transfer-gate/callers': { callers: [callerEntry('ivr', callerKey, ['*'])] },
  'tg/twilio': { accountSid: `AC${'1'.repeat(32)}`, apiKeySid: `SK${'2'.repeat(32)}`, apiKeySecret: 'twilio-key-secret-it' },
  'tg/twilio-limited': { accountSid: `AC${'1'.repeat(32)}`, apiKeySid: `SK${'2'.repeat(32)}`, apiKeySecret: 'twilio-key-secret-it' },
  'tg/convoso': { authToken: 'convoso-token-it' },
  'tg/vicidial': { apiUser: 'vici-user-it', apiPass: 'vici-pass-it' },
  'tg/vicidial-wrong': { apiUser: 'vici-user-it', apiPass: 'not-the-password' },
};
const healthy = ['flex', 'dialer', 'inbound'];
let gate: TestGate;
let configFile: string;
let secretsFile: string;
let dir: string;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  logs = captureLogs();
  const [twilio, convoso, vicidial] = await freePorts(3);
  const at = (port: number | undefined) => `http://127.0.0.1:${port}`;
  const twilioQueue = { vendor: 'twilio', workspaceSid: `WS${'a'.repeat(32)}`, taskQueueSid: `WQ${'b'.repeat(32)}`, baseUrl: at(twilio) };
  const config = {
    defaults: { cacheTtlMs: 0 },
    queues: [
      { id: 'flex', secret: 'tg/twilio', ...twilioQueue },
      { id: 'flex-limited', secret: 'tg/twilio-limited', ...twilioQueue },
      { id: 'flex-limited-too', secret: 'tg/twilio-limited', ...twilioQueue },
      { id: 'dialer', vendor: 'convoso', secret: 'tg/convoso', queueId: 12, campaignId: '34', skills: ['spanish'], baseUrl: at(convoso) },
      { id: 'inbound', vendor: 'vicidial', secret: 'tg/vicidial', inGroup: 'SALESLINE', baseUrl: at(vicidial), cacheTtlMs: 2000 },
      { id: 'inbound-wrong', vendor: 'vicidial', secret: 'tg/vicidial-wrong', inGroup: 'SALESLINE', baseUrl: at(vicidial), cacheTtlMs: 2000 },
    ],
  };
  // A failed read is remembered per queue (backoff): the failure test has its own copy of each queue.
  const copies = config.queues.filter((queue) => healthy.includes(queue.id)).map((queue) => ({ ...queue, id: `${queue.id}-down` }));
  config.queues.push(...copies);
  dir = mkdtempSync(path.join(tmpdir(), 'three-vendors-'));
  configFile = path.join(dir, 'gate.config.json');
  secretsFile = path.join(dir, 'secrets.json');
  writeFileSync(configFile, JSON.stringify(config));
  writeFileSync(secretsFile, JSON.stringify(secrets));
  gate = await startTestGate({ config, secrets });
});

afterAll(async () => {
  await gate?.close();
  rmSync(dir, { recursive: true, force: true });
  logs?.restore();
  // Convoso's token and VICIdial's user and password travel in URLs: never in a log line.
  for (const value of ['convoso-token-it', 'vici-pass-it', 'not-the-password', 'twilio-key-secret-it']) expect(logs.text()).not.toContain(value);
});

afterEach(() => {
  for (const simulator of gate.simulators.values()) simulator.setMode('ok');
});

async function availability(queue: string) {
  const response = await gate.get(`/v1/queues/${queue}/availability`, { 'x-api-key': callerKey });
  expect(response.status).toBe(200);
  return response.json;
}

describe('the HTTP API', () => {
  it.each([
    ['flex', 'twilio', { availableAgents: 3, awayAgents: 2, offlineAgents: 1, totalAgents: 6 }],
    ['dialer', 'convoso', { availableAgents: 3, totalAgents: 5 }],
    ['inbound', 'vicidial', { availableAgents: 3, busyAgents: 1, awayAgents: 1, totalAgents: 5 }],
  ])('answers %s (%s) from its simulator', async (queue, vendor, counts) => {
    expect(await availability(queue)).toMatchObject({ queue, vendor, canTransfer: true, reason: 'agents_available', source: 'live', ...counts });
  });

  it('a real zero is a "no", not an error', async () => {
    const simulator = gate.simulators.get('dialer')!;
    simulator.setAgents({ busy: 2, offline: 1 });
    try {
      expect(await availability('dialer')).toMatchObject({ canTransfer: false, reason: 'not_enough_agents', availableAgents: 0 });
    } finally {
      simulator.setAgents({ available: 3, busy: 1, away: 1, offline: 1 });
    }
  });

  it('a VICIdial bad login (an HTTP 200 ERROR line) is vendor_error auth', async () => {
    expect(await availability('inbound-wrong')).toMatchObject({ canTransfer: false, reason: 'vendor_error', vendorError: 'auth', availableAgents: null });
  });

  it('a Twilio 429 without Retry-After blocks every queue on the secret for 10 s, without calling Twilio again', async () => {
    const simulator = gate.simulators.get('flex-limited')!;
    simulator.setMode('429');
    expect(await availability('flex-limited')).toMatchObject({ reason: 'vendor_error', vendorError: 'rate_limited' });
    simulator.setMode('ok');
    const calls = simulator.calls();
    expect(await availability('flex-limited-too')).toMatchObject({ reason: 'vendor_error', vendorError: 'rate_limited' });
    expect(simulator.calls()).toBe(calls);
  });

  it('an HTML page with HTTP 200 (a web server or login page) is vendor_error bad_payload, never 0 agents', async () => {
    for (const queue of healthy) gate.simulators.get(queue)!.setMode('html');
    for (const queue of healthy.map((id) => `${id}-down`)) {
      expect(await availability(queue)).toMatchObject({ queue, canTransfer: false, reason: 'vendor_error', vendorError: 'bad_payload', availableAgents: null });
    }
  });
});

describe('the other entry points', () => {
  const runtime = () => createRuntime({ config: gate.config, secretSource: fakeSecretSource(secrets) });

  it.each(healthy)('Amazon Connect: %s answers a contact flow', async (queue) => {
    const answer = await answerContactFlow(runtime(), contactFlowEvent({ queue }));
    expect(answer).toMatchObject({ queue, canTransfer: 'true', availableAgents: '3', reason: 'agents_available' });
  });

  it('the scheduled check reads every queue', async () => {
    const summary = await createScheduledHandler(runtime)({}, lambdaContext());
    // A runtime of its own (its own state): only the wrong VICIdial password fails.
    expect(summary).toEqual({ queues: 9, canTransfer: 8, vendorErrors: 1, failures: 0 });
    const checked = logs
      .text()
      .split('\n')
      .filter((line) => line.includes('"scheduled check"'))
      .map((line) => JSON.parse(line).queue);
    expect(checked).toEqual(expect.arrayContaining(healthy));
  });

  const check = (queues: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env = { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', AWS_ENDPOINT_URL_DYNAMODB: '', GATE_STATE_TABLE: '' };
      const args = ['--import', 'tsx', 'local/check-cli.ts', ...queues, '--config', configFile, '--secrets', secretsFile];
      execFile(process.execPath, args, { cwd: root, env }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
    });

  it('npm run check -- flex dialer inbound answers each from its simulator', async () => {
    const { code, stdout, stderr } = await check(healthy);
    const decisions = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(decisions.map((decision) => [decision.queue, decision.reason])).toEqual(healthy.map((queue) => [queue, 'agents_available']));
    expect(stderr).not.toContain('warning:');
    expect(code).toBe(0);
  }, 20_000);

  it('npm run check warns when a VICIdial in-group has nobody logged in (an unknown in-group answers the same zeros)', async () => {
    const simulator = gate.simulators.get('inbound')!;
    simulator.setAgents({ offline: 2 });
    try {
      const { code, stdout, stderr } = await check(['inbound']);
      expect(JSON.parse(stdout)).toMatchObject({ queue: 'inbound', reason: 'not_enough_agents', availableAgents: 0, totalAgents: 0 });
      expect(stderr).toMatch(/warning: queue "inbound": .*confirm inGroup/);
      expect(code).toBe(0);
    } finally {
      simulator.setAgents({ available: 3, busy: 1, away: 1, offline: 1 });
    }
  }, 20_000);
});
