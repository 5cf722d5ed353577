import type { GateRoute } from '../../../shared/config/gate-config';
import { checkRoute, type MemberProbe, type Placement, type RouteMembers } from '../../../shared/routes/route-check';

interface Answer {
  queue: string;
  held?: boolean;
}

type Plan = { yes: boolean; room?: number | null; reason?: string; delayMs?: number; ownHold?: boolean; refuse?: string };

/** Members whose probes answer as planned (after `delayMs` of fake time), recording probes, aborts and placements. */
function members(plans: Record<string, Plan>) {
  const placed: string[] = [];
  const aborted: string[] = [];
  const api: RouteMembers<Answer> = {
    probe: (queue, signal) =>
      new Promise((resolve) => {
        const plan = plans[queue]!;
        signal.addEventListener('abort', () => aborted.push(queue));
        const answer = (): MemberProbe<Answer> => ({
          queue,
          answer: { queue },
          reason: plan.reason ?? (plan.yes ? 'agents_available' : 'not_enough_agents'),
          yes: plan.yes,
          room: plan.room === undefined ? 1 : plan.room,
          ownHold: plan.ownHold ?? false,
        });
        if (!plan.delayMs) resolve(answer());
        else setTimeout(() => resolve(answer()), plan.delayMs);
      }),
    place: async (probe): Promise<Placement<Answer>> => {
      const refuse = plans[probe.queue]!.refuse;
      if (refuse) return { placed: false, answer: { queue: probe.queue }, reason: refuse };
      placed.push(probe.queue);
      return { placed: true, answer: { queue: probe.queue, held: true } };
    },
  };
  return { api, placed, aborted };
}

const route = (queues: string[], extra: Partial<GateRoute> = {}): GateRoute => ({ id: 'r', queues, pick: 'first', deadlineMs: 2000, ...extra });

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

it('chooses the first yes in list order and places a hold on it alone', async () => {
  const { api, placed } = members({ a: { yes: false }, b: { yes: true }, c: { yes: true } });
  const outcome = await checkRoute(route(['a', 'b', 'c']), api);
  expect(outcome.chosen).toEqual({ queue: 'b', answer: { queue: 'b', held: true } });
  expect(placed).toEqual(['b']);
  expect(outcome.tried).toEqual([
    { queue: 'a', reason: 'not_enough_agents' },
    { queue: 'b', reason: 'agents_available' },
    { queue: 'c', reason: 'agents_available' },
  ]);
});

it('answers no queue when no member says yes, and places nothing', async () => {
  const { api, placed } = members({ a: { yes: false, reason: 'closed' }, b: { yes: false, reason: 'vendor_error' } });
  const outcome = await checkRoute(route(['a', 'b']), api);
  expect(outcome.chosen).toBeUndefined();
  expect(placed).toEqual([]);
  expect(outcome.tried.map((member) => member.reason)).toEqual(['closed', 'vendor_error']);
});

it('ranks by room for most_available', async () => {
  const { api, placed } = members({ a: { yes: true, room: 1 }, b: { yes: true, room: 4 }, c: { yes: true, room: null } });
  expect((await checkRoute(route(['a', 'b', 'c'], { pick: 'most_available' }), api)).chosen?.queue).toBe('b');
  expect(placed).toEqual(['b']);
});

it('draws by weight with the injected random', async () => {
  const { api } = members({ a: { yes: true }, b: { yes: true } });
  const weighted = route(['a', 'b'], { pick: 'weighted', weights: { a: 1, b: 3 } });
  expect((await checkRoute(weighted, api, { random: () => 0.2 })).chosen?.queue).toBe('a');
  expect((await checkRoute(weighted, api, { random: () => 0.3 })).chosen?.queue).toBe('b');
});

it('tries the next candidate when placement is refused, and says why in tried', async () => {
  const { api, placed } = members({ a: { yes: true, refuse: 'not_enough_agents' }, b: { yes: true } });
  const outcome = await checkRoute(route(['a', 'b']), api);
  expect(outcome.chosen?.queue).toBe('b');
  expect(placed).toEqual(['b']);
  expect(outcome.tried[0]).toEqual({ queue: 'a', reason: 'not_enough_agents' });
});

it("answers the caller's own standing hold first, whatever the pick", async () => {
  const { api } = members({ a: { yes: true, room: 9 }, b: { yes: true, room: 1, ownHold: true } });
  expect((await checkRoute(route(['a', 'b'], { pick: 'most_available' }), api)).chosen?.queue).toBe('b');
});

it('cuts off a member still out at the deadline minus 250 ms, as a timeout, and aborts it', async () => {
  const { api, placed, aborted } = members({ slow: { yes: true, delayMs: 5000 }, quick: { yes: true, delayMs: 100 } });
  const pending = checkRoute(route(['slow', 'quick'], { deadlineMs: 1000 }), api);
  await jest.advanceTimersByTimeAsync(749);
  let done = false;
  void pending.then(() => (done = true));
  await jest.advanceTimersByTimeAsync(0);
  expect(done).toBe(false);
  await jest.advanceTimersByTimeAsync(1);
  const outcome = await pending;
  expect(outcome.tried).toEqual([
    { queue: 'slow', reason: 'vendor_error', vendorError: 'timeout' },
    { queue: 'quick', reason: 'agents_available' },
  ]);
  expect(outcome.chosen?.queue).toBe('quick');
  expect(aborted).toContain('slow');
  expect(placed).toEqual(['quick']);
  // The slow member's late answer changes nothing.
  await jest.advanceTimersByTimeAsync(5000);
  expect(placed).toEqual(['quick']);
});

it('answers as soon as every member is in, without waiting for the deadline', async () => {
  const { api } = members({ a: { yes: true, delayMs: 10 }, b: { yes: false, delayMs: 20 } });
  const pending = checkRoute(route(['a', 'b'], { deadlineMs: 20_000 }), api);
  await jest.advanceTimersByTimeAsync(20);
  expect((await pending).chosen?.queue).toBe('a');
});

it('counts a member whose check fails outright as a no (a vendor_error without a vendor reason)', async () => {
  const { api } = members({ a: { yes: true }, b: { yes: true } });
  const failing: RouteMembers<Answer> = { ...api, probe: (queue, signal) => (queue === 'a' ? Promise.reject(new Error('boom')) : api.probe(queue, signal)) };
  const outcome = await checkRoute(route(['a', 'b']), failing);
  expect(outcome.chosen?.queue).toBe('b');
  expect(outcome.tried[0]).toEqual({ queue: 'a', reason: 'vendor_error' });
});

describe('members at hand at once', () => {
  const known = (queue: string, yes: boolean): MemberProbe<Answer> => ({
    queue,
    answer: { queue },
    reason: yes ? 'agents_available' : 'not_enough_agents',
    yes,
    room: 1,
    ownHold: false,
  });

  it('when every member is known, no probe and no timer: the pick runs on the known answers', async () => {
    const { api, placed } = members({ a: { yes: true }, b: { yes: true } });
    const probe = jest.fn(api.probe);
    const setTimer = jest.fn(() => () => {});
    const outcome = await checkRoute(route(['a', 'b']), { ...api, probe, known: (queue) => known(queue, queue === 'b') }, { setTimer });
    expect(outcome.chosen?.queue).toBe('b');
    expect(placed).toEqual(['b']);
    expect([probe.mock.calls.length, setTimer.mock.calls.length]).toEqual([0, 0]);
  });

  it('when one member is not known, every member is probed under the deadline', async () => {
    const { api } = members({ a: { yes: true }, b: { yes: false } });
    const probe = jest.fn(api.probe);
    const outcome = await checkRoute(route(['a', 'b']), { ...api, probe, known: (queue) => (queue === 'a' ? known('a', true) : undefined) });
    expect(outcome.chosen?.queue).toBe('a');
    expect(probe.mock.calls.map(([queue]) => queue)).toEqual(['a', 'b']);
  });
});

it('after a refused placement, the next candidate is tried only while the deadline lasts', async () => {
  let now = 0;
  const { api, placed } = members({ a: { yes: true, refuse: 'not_enough_agents' }, b: { yes: true } });
  const slowPlace: typeof api.place = async (probe) => {
    now += 2100; // the first placement alone outlasts the route's 2 s
    return api.place(probe);
  };
  const outcome = await checkRoute(route(['a', 'b']), { ...api, place: slowPlace }, { clock: () => now });
  expect(outcome.chosen).toBeUndefined();
  expect(placed).toEqual([]);
  expect(outcome.tried).toEqual([
    { queue: 'a', reason: 'not_enough_agents' },
    { queue: 'b', reason: 'agents_available' },
  ]);
});
