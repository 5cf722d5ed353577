/**
 * The real local server against the Vonage simulator on a free loopback port: token and API on
 * one port, tokens expired early by the simulator, wrong credentials, a failing vendor.
 */
import type { VendorSimulator } from '../../local/simulators/simulator';
import { captureLogs } from '../support/logs';
import { type TestGate, callerEntry, freePorts, startTestGate } from '../support/local-gate';

const callerKey = 'vonage-integration-caller-key';
const clientSecret = 'SENTINEL-VONAGE-INTEGRATION-SECRET';
const wrongSecret = 'SENTINEL-VONAGE-WRONG-SECRET';
const headers = { 'x-api-key': callerKey };

let gate: TestGate;
let simulator: VendorSimulator;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  const [port] = await freePorts(1);
  const vendorUrl = `http://127.0.0.1:${port}`;
  const queue = { vendor: 'vonage', baseUrl: vendorUrl, authUrl: vendorUrl, queueGuids: ['457857dc-19eb-4eb9-b562-c90ca37de447'], liveness: 'live' };
  logs = captureLogs();
  gate = await startTestGate({
    // cacheTtlMs 0: every request reads the vendor, so token use is visible in the simulator's call counts.
    config: {
      defaults: { cacheTtlMs: 0 },
      queues: [
        { id: 'uk', secret: 'tg/vonage', ...queue },
        { id: 'uk-wrong', secret: 'tg/vonage-wrong', ...queue },
      ],
    },
    secrets: {
      'transfer-gate/callers': { callers: [callerEntry('test', callerKey, ['*'])] },
      // The simulator takes its credentials from the first queue's secret; the second queue's is wrong.
      'tg/vonage': { clientId: 'tg-client', clientSecret },
      'tg/vonage-wrong': { clientId: 'tg-client', clientSecret: wrongSecret },
    },
  });
  simulator = gate.simulators.get('uk')!;
});

afterAll(async () => {
  await gate?.close();
  logs.restore();
  expect(logs.text()).not.toContain('SENTINEL');
});

beforeEach(() => {
  simulator.setMode('ok');
  simulator.setAgents({ available: 2, busy: 1, away: 3, offline: 1 });
  simulator.resetCalls();
});

async function availability(queue: string) {
  const response = await gate.get(`/v1/queues/${queue}/availability`, headers);
  expect(response.status).toBe(200);
  expect(response.text).not.toContain('SENTINEL');
  return response.json;
}

it('answers 200 with the counts from /agents-availability, fetching one token for several checks', async () => {
  const body = await availability('uk');
  expect(body).toMatchObject({
    queue: 'uk',
    canTransfer: true,
    reason: 'agents_available',
    availableAgents: 2,
    vendor: 'vonage',
    source: 'live',
    busyAgents: 1,
    awayAgents: 3,
    offlineAgents: 1,
    totalAgents: 7,
  });
  await availability('uk');
  expect(simulator.calls('/Auth/connect/token')).toBe(1); // the first test: a cold token cache
  expect(simulator.calls('/agents-availability')).toBe(2);
});

it('still answers 200 after the simulator expires every token early: one refresh, one retry', async () => {
  await availability('uk');
  const expired = await fetch(`${simulator.url}/__sim/expire-tokens`, { method: 'POST' });
  expect(expired.status).toBe(200);
  simulator.resetCalls();
  expect(await availability('uk')).toMatchObject({ reason: 'agents_available', availableAgents: 2 });
  expect(simulator.calls('/Auth/connect/token')).toBe(1);
  expect(simulator.calls('/agents-availability')).toBe(2);
});

it('reports vendor_error auth for a wrong client secret', async () => {
  expect(await availability('uk-wrong')).toMatchObject({ canTransfer: false, reason: 'vendor_error', vendorError: 'auth', availableAgents: null });
  expect(simulator.calls('/Auth/connect/token')).toBe(1);
  expect(simulator.calls('/agents-availability')).toBe(0);
});

it('reports vendor_error server when the vendor fails with a 5xx', async () => {
  simulator.setMode('5xx');
  expect(await availability('uk')).toMatchObject({ canTransfer: false, reason: 'vendor_error', vendorError: 'server' });
});

it('has a simulator as strict as the documented API', async () => {
  const form = { grant_type: 'client_credentials', client_id: 'tg-client', client_secret: clientSecret, scope: 'agents-availability:read' };
  const token = (fields: Record<string, string>) => fetch(`${simulator.url}/Auth/connect/token`, { method: 'POST', body: new URLSearchParams(fields) });
  expect(await (await token({ ...form, scope: 'openid' })).json()).toEqual({ error: 'invalid_scope' });
  const issued = (await (await token(form)).json()) as { access_token: string };
  expect(issued).toMatchObject({ expires_in: 7200, token_type: 'Bearer' });
  const query = (accept: string, body: unknown) =>
    fetch(`${simulator.url}/agents-availability`, {
      method: 'POST',
      headers: { Accept: accept, Authorization: `Bearer ${issued.access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const guids = ['457857dc-19eb-4eb9-b562-c90ca37de447'];
  expect((await query('application/json', { queueGuids: guids })).status).toBe(406);
  expect((await query('application/vnd.newvoicemedia.v1+json', { queueGuids: guids, groupGuids: guids })).status).toBe(400);
  const answer = await query('application/vnd.newvoicemedia.v1+json', { queueGuids: guids });
  expect(answer.headers.get('content-type')).toBe('application/vnd.newvoicemedia.v1+json');
  expect(await answer.json()).toEqual({
    presenceSummary: { Ready: 3, Away: 2, ExtendedAway: 1, LoggedOut: 1 },
    availabilitySummary: { available: 2, incompatiblePresence: 4, insufficientCapacity: 1 },
  });
});
