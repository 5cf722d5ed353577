import '../support/verbose-logs';
import { signKoreaiJwt } from '../../shared/vendors/koreai';
import type { VendorSimulator } from '../../local/simulators/simulator';
import { type TestGate, callerEntry, freePorts, startTestGate } from '../support/local-gate';
import { captureLogs } from '../support/logs';

const callerKey = 'kore-integration-caller-key';
/** Prefix of every simulated agent's name, e-mail and phone (e-mails in lower case). */
const piiMarker = 'KorePiiMark';
const korePiiPattern = /korepiimark/i;
const secret = { clientId: 'cs-integration-client', clientSecret: 'kore-integration-client-secret-0123456789', accountId: 'acct-integration' };
const botPath = '/agentassist/api/v1/public/st-123/agents/availability';

let gate: TestGate;
let simulator: VendorSimulator;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  logs = captureLogs();
  const [port] = await freePorts(1);
  const queue = (id: string, secretName: string) => ({
    id,
    vendor: 'koreai',
    secret: secretName,
    botId: 'st-123',
    queueIds: ['qu-1'],
    baseUrl: `http://127.0.0.1:${port}`,
  });
  gate = await startTestGate({
    config: {
      defaults: { cacheTtlMs: 0, timeoutMs: 2500 },
      // The simulator takes its credentials from the first queue's secret.
      // A failed read is remembered (backoff) and a 429 blocks its secret: each failure mode has its own queue, the 429 its own secret.
      queues: [
        queue('kore-care', 'tg/kore'),
        queue('kore-wrong-secret', 'tg/kore-wrong'),
        queue('kore-limited', 'tg/kore-limited'),
        queue('kore-5xx', 'tg/kore'),
        queue('kore-html', 'tg/kore'),
      ],
    },
    secrets: {
      'transfer-gate/callers': { callers: [callerEntry('ivr', callerKey, ['*'])] },
      'tg/kore': secret,
      'tg/kore-wrong': { ...secret, clientSecret: 'not-the-client-secret-of-this-jwt-app' },
      'tg/kore-limited': secret,
    },
    personalDataMarker: piiMarker,
  });
  simulator = gate.simulators.get('kore-care')!;
});

afterEach(() => simulator.setMode('ok'));

afterAll(async () => {
  await gate?.close();
  logs?.restore();
});

async function availability(queueId: string) {
  const response = await gate.get(`/v1/queues/${queueId}/availability`, { 'x-api-key': callerKey });
  expect(response.text).not.toMatch(korePiiPattern);
  expect(response.status).toBe(200);
  return response.json;
}

describe('the gate with the Kore.ai simulator', () => {
  it('answers with the counts when the simulator accepts the JWT', async () => {
    simulator.setAgents({ available: 2, busy: 3, away: 1, offline: 4 });
    simulator.resetCalls();
    const body = await availability('kore-care');
    expect(body).toMatchObject({ queue: 'kore-care', canTransfer: true, reason: 'agents_available', availableAgents: 2, vendor: 'koreai', source: 'live' });
    expect(body).toMatchObject({ busyAgents: 3, awayAgents: 1, offlineAgents: 4, totalAgents: 10 });
    expect(simulator.calls(botPath)).toBe(1);
  });

  it('reports vendor_error auth when the JWT is signed with the wrong client secret', async () => {
    const body = await availability('kore-wrong-secret');
    expect(body).toMatchObject({ canTransfer: false, reason: 'vendor_error', vendorError: 'auth', availableAgents: null });
  });

  it.each([
    ['5xx', 'server'],
    ['html', 'bad_payload'],
  ] as const)('reports vendor_error %s as %s', async (mode, kind) => {
    simulator.setMode(mode);
    const body = await availability(`kore-${mode}`);
    expect(body).toMatchObject({ canTransfer: false, reason: 'vendor_error', vendorError: kind });
  });

  it('reports vendor_error rate_limited when the simulator answers 429', async () => {
    simulator.setMode('429', { retryAfterSeconds: 30 });
    const body = await availability('kore-limited');
    expect(body).toMatchObject({ canTransfer: false, reason: 'vendor_error', vendorError: 'rate_limited' });
  });

  it('never passes on the agents’ personal data or the client secret, in answers or logs', async () => {
    expect(simulator.agents.some((agent) => agent.firstName.includes(piiMarker))).toBe(true);
    const answers = [await availability('kore-care'), await availability('kore-wrong-secret')];
    expect(answers.map((answer) => answer.reason)).toEqual(['agents_available', 'vendor_error']);
    expect(logs.text()).toContain('vendor read failed');
    expect(logs.text()).not.toMatch(korePiiPattern);
    expect(logs.text()).not.toContain(secret.clientSecret);
  });
});

describe('the Kore.ai simulator itself', () => {
  async function post(token: string, body = '{"queueIds":["qu-1"]}', accountId = secret.accountId) {
    const headers = { auth: token, accountId, 'Content-Type': 'application/json' };
    const response = await fetch(`${simulator.url}${botPath}`, { method: 'POST', headers, body });
    return { status: response.status, text: await response.text() };
  }
  const tokenAt = async (nowMs: number, credentials = secret) => (await signKoreaiJwt(credentials, nowMs)).token;

  it('accepts a valid JWT once, refuses its jti the second time (Enforce JTI), and returns the documented agent records', async () => {
    const token = await tokenAt(Date.now());
    const { status, text } = await post(token);
    expect(status).toBe(200);
    const replay = await post(token);
    expect(replay).toEqual({ status: 401, text: '{"errors":[{"msg":"Invalid SDK credentials","code":4002}]}' });
    expect(Object.keys(JSON.parse(text)).sort()).toEqual(['AVAILABLE', 'AWAY', 'BUSY', 'OFFLINE']);
    expect(Object.keys(JSON.parse(text).AVAILABLE[0]).sort()).toEqual(['_id', 'customId', 'emailId', 'firstName', 'lastName', 'phoneNumber', 'userId']);
  });

  it.each([
    ['a Bearer prefix', async () => `Bearer ${await tokenAt(Date.now())}`],
    ['an expired token', () => tokenAt(Date.now() - 301_000)],
    ['another client secret', () => tokenAt(Date.now(), { ...secret, clientSecret: 'some-other-secret-of-enough-length' })],
    ['another appId', () => tokenAt(Date.now(), { ...secret, clientId: 'cs-someone-else' })],
  ])('answers 401 to %s', async (_name, token) => {
    expect((await post(await token())).status).toBe(401);
  });

  it('answers 401 to another account, 412 to a body that is not JSON, has unknown keys or non-string ids', async () => {
    const fresh = () => tokenAt(Date.now());
    expect((await post(await fresh(), undefined, 'acct-other')).status).toBe(401);
    expect((await post(await fresh(), '{"queueIds":["qu-1"],}')).status).toBe(412);
    expect((await post(await fresh(), '{"queues":["qu-1"]}')).status).toBe(412);
    expect((await post(await fresh(), '{"queueIds":[1]}')).status).toBe(412);
  });

  it('answers an unknown bot id like bad credentials: 401 4002', async () => {
    const response = await fetch(`${simulator.url}/agentassist/api/v1/public/st-999/agents/availability`, {
      method: 'POST',
      headers: { auth: await tokenAt(Date.now()), accountId: secret.accountId, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
  });
});
