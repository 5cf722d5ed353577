/** GET /v1/status's pure part (docs/on-call/console.md): one queue's status from what the store holds. */
import { type QueueFacts, queueStatus } from '../../../shared/api/status-report';
import { parseGateConfig } from '../../../shared/config/gate-config';

const config = parseGateConfig({
  schedules: { never: { timeZone: 'UTC', weekly: {} } },
  queues: [
    { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, holdMs: 30_000, minAvailable: 2 },
    { id: 'closers', vendor: 'aircall', secret: 'tg/aircall', teamId: 42 },
    { id: 'night', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2, schedule: 'never' },
  ],
});
const queue = (id: string) => config.queues.get(id)!;
const now = Date.parse('2026-12-03T10:00:00.000Z');
const own = (id: string) => ({ key: `queue:${id}`, shared: false });
const reading = (available: number, ago = 1000) => ({ availability: { available, busy: 1, total: available + 1 }, checkedAt: now - ago });

it('a reading, counted net of the holds standing, with holds per seller (expired ones left out)', () => {
  const facts: QueueFacts = {
    override: undefined,
    state: { reading: reading(3) },
    holds: [
      { callerName: 'acme-leads', callerId: '+15550001', placedAt: now - 5000, expiresAt: now + 25_000 },
      { callerName: '__proto__', callerId: '+15550002', placedAt: now - 5000, expiresAt: now + 25_000 },
      { callerName: 'acme-leads', callerId: '+15550003', placedAt: now - 40_000, expiresAt: now - 10_000 },
    ],
    readKey: own('support'),
  };
  const status = queueStatus(queue('support'), facts, now);
  expect(status).toMatchObject({
    open: true, closedBy: null, opensAt: null, closesAt: null, override: null, failure: null,
    reading: { availableAgents: 3, busyAgents: 1, totalAgents: 4, checkedAt: '2026-12-03T09:59:59.000Z', ageMs: 1000 },
    // 3 free, 2 held, minAvailable 2: a caller without a hold hears no.
    answer: { canTransfer: false, reason: 'not_enough_agents' },
  });
  expect(status.holds.count).toBe(2);
  expect(Object.entries(status.holds.bySeller)).toEqual([['acme-leads', 1], ['__proto__', 1]]);
  expect(JSON.parse(JSON.stringify(status.holds.bySeller))).toEqual(JSON.parse('{"acme-leads":1,"__proto__":1}'));
  expect(status.holds.list.map((hold) => hold.callerId)).toEqual(['+15550001', '+15550002']);
});

it('a failure newer than the last good reading: the failure and the answer it gives', () => {
  const facts: QueueFacts = {
    override: undefined,
    state: { reading: reading(3, 60_000), failure: { kind: 'server', at: now - 2000, streak: 2, retryAt: now + 2000 } },
    holds: [],
    readKey: own('support'),
  };
  expect(queueStatus(queue('support'), facts, now)).toMatchObject({
    failure: { vendorError: 'server', at: '2026-12-03T09:59:58.000Z', streak: 2, retryAt: '2026-12-03T10:00:02.000Z' },
    answer: { canTransfer: false, reason: 'vendor_error' },
    reading: { availableAgents: 3, ageMs: 60_000 },
  });
});

it('a closed override wins: closed by override until its end, with the override shown', () => {
  const override = { state: 'closed' as const, until: now + 3_600_000, note: 'drill', setBy: 'ops', setAt: now - 1000 };
  const status = queueStatus(queue('support'), { override, state: {}, holds: [], readKey: own('support') }, now);
  expect(status).toMatchObject({
    open: false, closedBy: 'override', opensAt: '2026-12-03T11:00:00.000Z', closesAt: null,
    override: { queue: 'support', state: 'closed', until: '2026-12-03T11:00:00.000Z', note: 'drill', setBy: 'ops' },
    answer: { canTransfer: false, reason: 'closed' }, reading: null,
  });
});

it('a schedule closure, and a queue never read', () => {
  expect(queueStatus(queue('night'), { override: undefined, state: {}, holds: [], readKey: own('night') }, now)).toMatchObject({ open: false, closedBy: 'schedule', opensAt: null });
  expect(queueStatus(queue('support'), { override: undefined, state: {}, holds: [], readKey: own('support') }, now)).toMatchObject({ open: true, answer: null, reading: null });
});

it("a queue answered from a shared read shows the read's age, never the company's count as its own", () => {
  const facts: QueueFacts = { override: undefined, state: { reading: reading(40) }, holds: [], readKey: { key: 'aircall:tg/aircall', shared: true } };
  expect(queueStatus(queue('closers'), facts, now)).toMatchObject({ reading: { availableAgents: null, sharedRead: 'aircall:tg/aircall', ageMs: 1000 }, answer: null });
});
