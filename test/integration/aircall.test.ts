/**
 * Aircall through the real local server: the gate's HTTP API → handler → Secrets Manager stand-in
 * → the Aircall simulator (teams, paged availabilities, per-user availability, Basic auth, the
 * company-wide rate limit).
 */
import { type AircallSimulator, isAircallSimulator } from '../../local/simulators/aircall-simulator';
import { callerEntry, freePorts, startTestGate, type TestGate } from '../support/local-gate';

const callerKey = 'aircall-it-key-0123456789abcdef';
const apiToken = 'aircall-it-api-token';
const oldToken = 'aircall-it-rotated-token';
let gate: TestGate;
let aircall: AircallSimulator;

beforeAll(async () => {
  const [port] = await freePorts(1);
  const baseUrl = `http://127.0.0.1:${port}`;
  gate = await startTestGate({
    config: {
      defaults: { cacheTtlMs: 0 },
      queues: [
        { id: 'closers', vendor: 'aircall', secret: 'tg/aircall', teamId: 42, baseUrl },
        { id: 'closers-vip', vendor: 'aircall', secret: 'tg/aircall', userIds: [1001, 1002, 1006], baseUrl },
        { id: 'closers-rotated', vendor: 'aircall', secret: 'tg/aircall-rotated', teamId: 42, baseUrl },
      ],
    },
    secrets: {
      'transfer-gate/callers': { callers: [callerEntry('it', callerKey, ['*'])] },
      'tg/aircall': { apiId: 'aircall-it-api-id', apiToken },
      'tg/aircall-rotated': { apiId: 'aircall-it-api-id', apiToken: oldToken },
    },
  });
  const simulator = gate.simulators.get('closers');
  if (!isAircallSimulator(simulator)) throw new Error('the closers queue has no Aircall simulator');
  aircall = simulator;
});
afterAll(() => gate?.close());
afterEach(() => {
  aircall.setMode('ok');
  aircall.setAgents({ available: 3, busy: 1, away: 1, offline: 1 });
  aircall.setCompany({ extraUsers: 0, rateLimit: { limit: 120, windowMs: 60_000 } });
});

const availability = (queue: string) => gate.get(`/v1/queues/${queue}/availability`, { 'x-api-key': callerKey });
const sleepUntil = (epochMs: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - Date.now())));
const pageCalls = () => aircall.calls('/v1/users/availabilities');

// Runs first: the adapter keeps team 42's members for 10 minutes from here on.
it('a team spanning several pages: the right counts, one call per page, the team read once', async () => {
  aircall.setAgents({ available: 40, busy: 20, away: 10, offline: 5 });
  aircall.setCompany({ extraUsers: 30 }); // 105 users: the 75 members are on pages 1-3
  aircall.resetCalls();
  const first = await availability('closers');
  expect(first.status).toBe(200);
  expect(first.json).toMatchObject({
    queue: 'closers',
    vendor: 'aircall',
    canTransfer: true,
    reason: 'agents_available',
    source: 'live',
    availableAgents: 40,
    busyAgents: 20,
    awayAgents: 10,
    offlineAgents: 5,
    totalAgents: 75,
  });
  expect([aircall.calls('/v1/teams/42'), pageCalls()]).toEqual([1, 3]);
  await availability('closers');
  expect([aircall.calls('/v1/teams/42'), pageCalls()]).toEqual([1, 6]);
});

it('a few members in a big company: the company-wide read walks every page, which then serves every queue on the secret', async () => {
  aircall.setCompany({ extraUsers: 600 }); // 13 pages; the members are not on page 1
  aircall.resetCalls();
  const response = await availability('closers-vip');
  expect(response.json).toMatchObject({ availableAgents: 2, busyAgents: 0, awayAgents: 0, offlineAgents: 1, totalAgents: 3 });
  expect([pageCalls(), aircall.calls('/v1/users/') - pageCalls()]).toEqual([13, 0]);
});

it('wrong or rotated credentials (Aircall answers 403): vendor_error auth, no credential in the answer', async () => {
  const response = await availability('closers-rotated');
  expect(response.status).toBe(200);
  expect(response.json).toMatchObject({ canTransfer: false, reason: 'vendor_error', vendorError: 'auth', availableAgents: null });
  expect(response.text).not.toContain(oldToken);
  expect(response.text).not.toContain(apiToken);
});

it('a 429 with Retry-After: rate_limited, and no call from any queue of the company until the reset', async () => {
  aircall.setMode('429', { retryAfterSeconds: 2 });
  expect((await availability('closers')).json).toMatchObject({ reason: 'vendor_error', vendorError: 'rate_limited' });
  const limitedAt = Date.now(); // the 2 s block began before the answer came back
  aircall.setMode('ok');
  aircall.resetCalls();
  for (const queue of ['closers', 'closers-vip']) {
    expect((await availability(queue)).json).toMatchObject({ reason: 'vendor_error', vendorError: 'rate_limited' });
  }
  expect(aircall.calls()).toBe(0);
  await sleepUntil(limitedAt + 2_100);
  expect((await availability('closers-vip')).json).toMatchObject({ reason: 'agents_available', availableAgents: 2 });
  expect(aircall.calls()).toBe(1);
});

it('the company budget spent (429 with X-AircallApi-Reset): no call until the reset it names, then calls again', async () => {
  aircall.setCompany({ rateLimit: { limit: 2, windowMs: 3_000 } });
  expect((await availability('closers-vip')).json).toMatchObject({ reason: 'agents_available' });
  const windowStart = Date.now(); // the simulator's window began with that call, before this line
  expect((await availability('closers-vip')).json).toMatchObject({ reason: 'agents_available' });
  expect((await availability('closers-vip')).json).toMatchObject({ reason: 'vendor_error', vendorError: 'rate_limited' });
  aircall.resetCalls();
  for (const queue of ['closers', 'closers-vip']) {
    expect((await availability(queue)).json).toMatchObject({ vendorError: 'rate_limited' });
  }
  expect(aircall.calls()).toBe(0);
  // The reset is the window's end in whole epoch seconds: at most 4 s after it began, far short of a 60 s fallback.
  await sleepUntil(windowStart + 4_100);
  expect((await availability('closers-vip')).json).toMatchObject({ reason: 'agents_available', availableAgents: 2 });
  expect(aircall.calls()).toBe(1);
});
