import { createHttpClient } from '../../../shared/vendors/http-client';
import { aircallQueueSchema, createAircallAdapter, toAircallAvailability } from '../../../shared/vendors/aircall';
import { manualClock } from '../../support/clock';
import { type RecordedRequest, fakeFetch, hangingFetch, jsonReply, textReply } from '../../support/fake-fetch';
import { fixtureJson } from '../../support/fixtures';
import { vendorFailure } from '../../support/vendor-harness';

const apiToken = 'SENTINEL-AIRCALL-TOKEN-3c9b';
const secret = { apiId: 'company-a-api-id', apiToken };
const basic = Buffer.from(`${secret.apiId}:${apiToken}`).toString('base64');
const otherCompany = { apiId: 'company-b-api-id', apiToken: 'company-b-token' };
const teamQueue = aircallQueueSchema.parse({ id: 'closers', vendor: 'aircall', secret: 'tg/aircall', teamId: 42 });
/** All three members are on page 1 of the documented list. */
const usersQueue = aircallQueueSchema.parse({ id: 'vip', vendor: 'aircall', secret: 'tg/aircall', userIds: [1001, '1002', 1005] });
const teamCounts = { available: 1, busy: 2, away: 1, offline: 2, total: 6 };
const firstPage = '/v1/users/availabilities?page=1&per_page=50';
const secondPage = '/v1/users/availabilities?page=2&per_page=50';

type Route = (request: RecordedRequest) => Response | Promise<Response>;
type Page = { users: unknown[]; meta: Record<string, unknown> };

const page1 = () => fixtureJson('aircall/availabilities-page-1.json') as Page;
const withMeta = (meta: Record<string, unknown>): Page => ({ ...page1(), meta: { ...page1().meta, ...meta } });

/** The documented Aircall API (fixtures), routed by path and page; anything else answers the documented 404. */
function aircallApi(overrides: Record<string, Route> = {}): Route {
  const routes: Record<string, Route> = {
    '/v1/teams/42': () => jsonReply(fixtureJson('aircall/team-42.json')),
    'page 1': () => jsonReply(page1()),
    'page 2': () => jsonReply(fixtureJson('aircall/availabilities-page-2.json')),
    ...overrides,
  };
  return (request) => {
    const { pathname, searchParams } = request.url;
    const key = pathname.endsWith('/v1/users/availabilities') ? `page ${searchParams.get('page')}` : pathname.replace(/^\/aircall/, '');
    return routes[key]?.(request) ?? jsonReply(fixtureJson('aircall/error-404.json'), 404);
  };
}

function harness(answer: Route = aircallApi(), fetch = fakeFetch(answer)) {
  const clock = manualClock();
  const adapter = createAircallAdapter({ http: createHttpClient({ fetch, now: clock.now }), now: clock.now });
  return {
    fetch,
    clock,
    paths: () => fetch.calls.map((call) => `${call.url.pathname}${call.url.search}`),
    check(queue = teamQueue, options: { secret?: typeof secret; signal?: AbortSignal; budgetMs?: number; holdOff?: (waitMs: number) => void } = {}) {
      const signal = options.signal ?? new AbortController().signal;
      return adapter.check({ queue, secret: options.secret ?? secret, signal, deadline: clock.now() + (options.budgetMs ?? 2500), holdOff: options.holdOff });
    },
  };
}

/** The VendorError a check fails with; neither the token nor the Basic credentials appear in it. */
async function failure(promise: Promise<unknown>) {
  const error = await vendorFailure(promise, apiToken);
  expect(`${error.message}\n${error.stack}`).not.toContain(basic);
  return error;
}

describe('the Aircall requests', () => {
  it('send HTTP Basic base64(apiId:apiToken) and Accept: application/json, never following redirects', async () => {
    const { fetch, check } = harness();
    await check();
    expect(fetch.calls).toHaveLength(3);
    for (const call of fetch.calls) {
      expect(call.method).toBe('GET');
      expect(call.url.origin).toBe('https://api.aircall.io');
      expect(call.headers.get('authorization')).toBe(`Basic ${basic}`);
      expect(call.headers.get('accept')).toBe('application/json');
      expect(call.redirect).toBe('manual');
    }
  });

  it('read the team, then page 1 with per_page=50, then follow next_page_link', async () => {
    const { paths, check } = harness();
    expect(await check()).toEqual(teamCounts);
    expect(paths()).toEqual(['/v1/teams/42', firstPage, secondPage]);
  });

  it('go to a configured base URL with its path prefix, and follow links on it', async () => {
    const local = aircallQueueSchema.parse({ ...teamQueue, baseUrl: 'http://127.0.0.1:3104/aircall/' });
    const { fetch, check } = harness(aircallApi({ 'page 1': () => jsonReply(withMeta({ next_page_link: `http://127.0.0.1:3104/aircall${secondPage}` })) }));
    expect(await check(local)).toEqual(teamCounts);
    expect(fetch.calls.map((call) => call.url.href)).toEqual([
      'http://127.0.0.1:3104/aircall/v1/teams/42',
      `http://127.0.0.1:3104/aircall${firstPage}`,
      `http://127.0.0.1:3104/aircall${secondPage}`,
    ]);
  });

  it('pass the budget signal to every call', async () => {
    const { fetch, check } = harness();
    const signal = new AbortController().signal;
    await check(teamQueue, { signal });
    expect(fetch.calls.map((call) => call.signal)).toEqual([signal, signal, signal]);
  });
});

describe('the Aircall mapping', () => {
  it('available; busy = in_call + after_call_work; away = do_not_disturb; offline, and a member missing from the list offline', async () => {
    const { check } = harness();
    expect(await check()).toEqual(teamCounts);
  });

  it('ignores the working-hours fields and the non-members (all "available" in the fixtures)', async () => {
    const { check } = harness(aircallApi({ 'page 2': () => jsonReply({ users: [], meta: { total: 53, next_page_link: null } }) }));
    // 1003 and 1004 no longer listed: offline, whatever the team's `available` / `availability_status` say.
    expect(await check()).toEqual({ available: 1, busy: 1, away: 0, offline: 4, total: 6 });
  });

  it('counts an unknown status in total only, and survives prototype names', () => {
    const statuses = new Map([
      ['1', 'on_a_break'],
      ['2', 'constructor'],
      ['3', 'available'],
      ['4', '__proto__'],
    ]);
    expect(toAircallAvailability(['1', '2', '3', '4', '5'], statuses)).toEqual({ available: 1, busy: 0, away: 0, offline: 1, total: 5 });
  });

  it('counts on_mobile (answering on the mobile app) as available', async () => {
    const { check } = harness(aircallApi({ 'page 1': () => jsonReply(fixtureJson('aircall/availabilities-on-mobile.json')) }));
    expect(await check()).toEqual({ available: 3, busy: 1, away: 1, offline: 1, total: 6 });
  });

  it('returns no names or e-mails', async () => {
    const { check } = harness();
    const text = JSON.stringify(await check());
    for (const personal of ['Jane', 'Doe', '@example.com', 'Europe']) expect(text).not.toContain(personal);
  });

  it('an explicit userIds list needs no team call, and a repeated id counts once', async () => {
    const queue = aircallQueueSchema.parse({ ...usersQueue, userIds: [1001, '1001', 1002, 1005] });
    const { paths, check } = harness();
    expect(await check(queue)).toEqual({ available: 1, busy: 1, away: 0, offline: 1, total: 3 });
    expect(paths()).toEqual([firstPage]);
  });

  it('an empty team is 0 of 0, not an error, and costs no availability call', async () => {
    const { paths, check } = harness(aircallApi({ '/v1/teams/42': () => jsonReply({ team: { id: 42, name: 'Closers', users: [] } }) }));
    expect(await check()).toEqual({ available: 0, busy: 0, away: 0, offline: 0, total: 0 });
    expect(paths()).toEqual(['/v1/teams/42']);
  });
});

describe('calls spent per check', () => {
  it('stops walking once every member has been seen', async () => {
    const { paths, check } = harness();
    expect(await check(usersQueue)).toEqual({ available: 1, busy: 1, away: 0, offline: 1, total: 3 });
    expect(paths()).toEqual([firstPage]); // page 1 still had a next_page_link
  });

  it('walks when per-user calls would not be fewer (2 missing, 2 pages left: a walk may stop early)', async () => {
    const queue = aircallQueueSchema.parse({ ...usersQueue, userIds: [1001, 1003, 1004] });
    const { paths, check } = harness(aircallApi({ 'page 1': () => jsonReply(withMeta({ total: 150 })) }));
    expect(await check(queue)).toEqual({ available: 1, busy: 1, away: 1, offline: 0, total: 3 });
    expect(paths()).toEqual([firstPage, secondPage]);
  });

  it('asks per user when the missing members are fewer than the pages left (meta.total from page 1)', async () => {
    const perUser = (availability: string) => () => jsonReply({ availability });
    const { paths, check } = harness(
      aircallApi({
        'page 1': () => jsonReply(withMeta({ total: 500 })),
        '/v1/users/1003/availability': () => jsonReply(fixtureJson('aircall/user-availability.json')),
        '/v1/users/1004/availability': perUser('do_not_disturb'),
        '/v1/users/1006/availability': perUser('offline'),
      }),
    );
    expect(await check()).toEqual(teamCounts);
    expect(paths()).toEqual(['/v1/teams/42', firstPage, '/v1/users/1003/availability', '/v1/users/1004/availability', '/v1/users/1006/availability']);
  });

  it('walks the pages instead when a per-user call answers 404 (deleted user, or no such endpoint)', async () => {
    const { paths, check } = harness(
      aircallApi({
        'page 1': () => jsonReply(withMeta({ total: 500 })),
        '/v1/users/1003/availability': () => jsonReply({ availability: 'after_call_work' }),
        '/v1/users/1004/availability': () => jsonReply({ availability: 'do_not_disturb' }),
      }),
    );
    expect(await check()).toEqual(teamCounts);
    expect(paths().slice(-1)).toEqual([secondPage]);
  });

  it('keeps team members for 10 minutes on the injected clock, per company', async () => {
    const { paths, clock, check } = harness();
    const teamCalls = () => paths().filter((path) => path === '/v1/teams/42').length;
    await check();
    clock.advance(10 * 60_000 - 1);
    await check();
    expect(teamCalls()).toBe(1);
    clock.advance(1);
    await check();
    expect(teamCalls()).toBe(2);
    await check(teamQueue, { secret: otherCompany });
    expect(teamCalls()).toBe(3);
  });
});

describe('next_page_link is vendor-supplied', () => {
  it.each([
    ['another host', 'https://evil.example/v1/users/availabilities?page=2&per_page=50'],
    ['a protocol-relative host', '//evil.example/v1/users/availabilities?page=2'],
    ['http instead of https', 'http://api.aircall.io/v1/users/availabilities?page=2&per_page=50'],
    ['another port', 'https://api.aircall.io:8443/v1/users/availabilities?page=2&per_page=50'],
    ['credentials in the URL', 'https://someone:pw@api.aircall.io/v1/users/availabilities?page=2&per_page=50'],
    ['another endpoint', 'https://api.aircall.io/v1/calls?page=2&per_page=50'],
    ['the page already read', `https://api.aircall.io${firstPage}`],
  ])('pointing to %s is bad_payload, and is not called', async (_label, link) => {
    const { fetch, paths, check } = harness(aircallApi({ 'page 1': () => jsonReply(withMeta({ next_page_link: link })) }));
    expect(await failure(check())).toMatchObject({ kind: 'bad_payload', status: undefined });
    expect(paths()).toEqual(['/v1/teams/42', firstPage]);
    expect(fetch.calls.every((call) => call.url.origin === 'https://api.aircall.io')).toBe(true);
  });

  it('a local base URL never follows a link to the real Aircall', async () => {
    const local = aircallQueueSchema.parse({ ...teamQueue, baseUrl: 'http://127.0.0.1:3104' });
    const { fetch, check } = harness(); // page 1 links to https://api.aircall.io
    expect((await failure(check(local))).kind).toBe('bad_payload');
    expect(fetch.calls.map((call) => call.url.origin)).toEqual(['http://127.0.0.1:3104', 'http://127.0.0.1:3104']);
  });
});

describe('the time budget', () => {
  it('is checked before each page: a spent budget makes no further call', async () => {
    const { paths, clock, check } = harness(
      aircallApi({
        'page 1': () => {
          clock.advance(2500);
          return jsonReply(page1());
        },
      }),
    );
    expect((await failure(check())).kind).toBe('timeout');
    expect(paths()).toEqual(['/v1/teams/42', firstPage]);
  });

  it('a silent Aircall is a timeout when the budget signal aborts', async () => {
    const { check } = harness(undefined, hangingFetch());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    expect((await failure(check(teamQueue, { signal: controller.signal }))).kind).toBe('timeout');
  });
});

describe('Aircall errors', () => {
  it.each([
    ['no credentials (401)', 'auth', 401, 'error-401.json'],
    ['wrong or rotated credentials (403)', 'auth', 403, 'error-403.json'],
    ['no credentials, as seen answering 403', 'auth', 403, 'error-403-no-credentials.json'],
    ['an unknown team (404)', 'not_found', 404, 'error-404.json'],
    ['an application error (400)', 'bad_request', 400, 'error-app.json'],
  ])('%s is %s', async (_label, kind, status, fixture) => {
    const { check } = harness(aircallApi({ '/v1/teams/42': () => jsonReply(fixtureJson(`aircall/${fixture}`), status) }));
    expect(await failure(check())).toMatchObject({ kind, status });
  });

  it.each([
    ['a 503', 'server', () => jsonReply({ message: 'Service Unavailable' }, 503)],
    ['an HTML page with 200', 'bad_payload', () => textReply('<!DOCTYPE html><html><body>Sign in</body></html>', 200, 'text/html')],
    ['truncated JSON', 'bad_payload', () => textReply('{"users": [', 200, 'application/json')],
    ['users that are not a list', 'bad_payload', () => jsonReply({ users: 'none', meta: { next_page_link: null } })],
    ['no meta', 'bad_payload', () => jsonReply({ users: [] })],
    ['meta without next_page_link', 'bad_payload', () => jsonReply({ users: [], meta: { total: 0 } })],
    ['a user without availability', 'bad_payload', () => jsonReply({ users: [{ id: 1001, available: true }], meta: { next_page_link: null } })],
    ['an id that is not a number', 'bad_payload', () => jsonReply({ users: [{ id: 'x', availability: 'available' }], meta: { next_page_link: null } })],
    ['an absurd meta.total (point 8)', 'bad_payload', () => jsonReply({ users: [], meta: { total: 1e308, next_page_link: null } })],
    [
      'an id past 2^53 - 1 (point 8)',
      'bad_payload',
      () => jsonReply({ users: [{ id: 2 ** 53 + 2, availability: 'available' }], meta: { next_page_link: null } }),
    ],
    ['a per_page of 0 (point 8)', 'bad_payload', () => jsonReply({ users: [], meta: { per_page: 0, next_page_link: null } })],
  ])('%s on a page is %s, never 0 agents', async (_label, kind, reply) => {
    const { check } = harness(aircallApi({ 'page 1': reply }));
    expect((await failure(check())).kind).toBe(kind);
  });

  it('a team body without users is bad_payload', async () => {
    const { check } = harness(aircallApi({ '/v1/teams/42': () => jsonReply({ team: { id: 42, name: 'Closers' } }) }));
    expect((await failure(check())).kind).toBe('bad_payload');
  });
});

describe('the Aircall rate limit (per company)', () => {
  const limited = (headers: Record<string, string>) => aircallApi({ 'page 1': () => jsonReply({ message: 'Too Many Requests' }, 429, headers) });
  const epochSeconds = (ms: number) => String(Math.round(ms / 1000));
  const resetIn = (ms: number) => epochSeconds(manualClock().now() + ms);

  it.each([
    ['Retry-After in seconds', () => ({ 'Retry-After': '7' }), 7_000],
    ['X-AircallApi-Reset as epoch seconds', () => ({ 'X-AircallApi-Reset': epochSeconds(manualClock().now() + 45_000) }), 45_000],
    ['X-AircallApi-Reset as epoch milliseconds', () => ({ 'X-AircallApi-Reset': String(manualClock().now() + 25_000) }), 25_000],
    [
      'both: the later wins',
      () => ({ 'Retry-After': '5', 'X-AircallApi-Limit': '120', 'X-AircallApi-Remaining': '0', 'X-AircallApi-Reset': resetIn(20_000) }),
      20_000,
    ],
    ['a reset far in the future: at most 5 minutes', () => ({ 'X-AircallApi-Reset': resetIn(3_600_000) }), 300_000],
    ['a reset just passed: the shortest block', () => ({ 'X-AircallApi-Reset': resetIn(-5_000) }), 1_000],
    ['a small Reset (not an epoch): no hint', () => ({ 'X-AircallApi-Reset': '30' }), 60_000],
    ['a Reset that is not digits: no hint', () => ({ 'X-AircallApi-Reset': '1.7e12' }), 60_000],
    ['a negative Reset: no hint', () => ({ 'X-AircallApi-Reset': '-1' }), 60_000],
    ['a lenient-date Retry-After: no hint', () => ({ 'Retry-After': 'foo 2030' }), 60_000],
    ["no hint: Aircall's one-minute window", () => ({}), 60_000],
  ])('a 429 with %s is rate_limited with that wait', async (_label, headers, waitMs) => {
    const { check } = harness(limited(headers()));
    expect(await failure(check())).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: waitMs });
  });

  it('makes no state of its own: a second check after a 429 calls again (the gate blocks the secret)', async () => {
    const { fetch, check } = harness(limited({ 'X-AircallApi-Reset': resetIn(30_000) }));
    await failure(check());
    const callsAfter429 = fetch.calls.length;
    await failure(check(usersQueue));
    expect(fetch.calls).toHaveLength(callsAfter429 + 1);
  });

  it('stops at Remaining: 0 within a check: the next page is not asked for, and the wait travels as rate_limited', async () => {
    const holdOff = jest.fn();
    const { paths, check } = harness(
      aircallApi({
        'page 1': () => jsonReply(page1(), 200, { 'X-AircallApi-Limit': '60', 'X-AircallApi-Remaining': '0', 'X-AircallApi-Reset': resetIn(15_000) }),
      }),
    );
    expect(await failure(check(teamQueue, { holdOff }))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 15_000 });
    expect(paths()).toEqual(['/v1/teams/42', firstPage]);
    expect(holdOff).toHaveBeenCalledWith(15_000);
  });

  it("Remaining: 0 without a usable Reset holds off for Aircall's one-minute window", async () => {
    const holdOff = jest.fn();
    const { check } = harness(aircallApi({ 'page 1': () => jsonReply(page1(), 200, { 'X-AircallApi-Remaining': '0' }) }));
    expect(await check(usersQueue, { holdOff })).toMatchObject({ available: 1 });
    expect(holdOff).toHaveBeenCalledWith(60_000);
  });

  it('Remaining above 0 changes nothing', async () => {
    const holdOff = jest.fn();
    const { check } = harness(
      aircallApi({ 'page 1': () => jsonReply(page1(), 200, { 'X-AircallApi-Remaining': '1', 'X-AircallApi-Reset': resetIn(15_000) }) }),
    );
    expect(await check(teamQueue, { holdOff })).toEqual(teamCounts);
    expect(holdOff).not.toHaveBeenCalled();
  });

  it('a 2xx saying no call is left asks the gate to hold off until its reset', async () => {
    const { check } = harness(
      aircallApi({ 'page 1': () => jsonReply(page1(), 200, { 'X-AircallApi-Remaining': '0', 'X-AircallApi-Reset': resetIn(15_000) }) }),
    );
    const holdOff = jest.fn();
    expect(await check(usersQueue, { holdOff })).toMatchObject({ available: 1 });
    expect(holdOff).toHaveBeenCalledWith(15_000);
  });
});
