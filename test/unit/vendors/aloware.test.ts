import { createHttpClient } from '../../../shared/vendors/http-client';
import { alowareQueueSchema, createAlowareAdapter } from '../../../shared/vendors/aloware';
import { type RecordedRequest, hangingFetch, jsonReply, textReply } from '../../support/fake-fetch';
import { fixtureJson } from '../../support/fixtures';
import { adapterHarness, vendorFailure } from '../../support/vendor-harness';

const token = 'SENTINEL-ALOWARE-TOKEN-5d1e';
const secret = { apiToken: token };
const queue = alowareQueueSchema.parse({ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 });

function harness(answer: (request: RecordedRequest) => Response | Promise<Response>) {
  return adapterHarness(createAlowareAdapter, answer);
}

describe('the Aloware request', () => {
  it('is GET /api/v1/webhook/ring-group/availability with the token and ring group in the query', async () => {
    const { fetch, check } = harness(() => jsonReply(fixtureJson('aloware/availability-200.json')));
    await check(queue, secret);
    expect(fetch.calls).toHaveLength(1);
    const [sent] = fetch.calls;
    expect(sent!.method).toBe('GET');
    expect(sent!.url.origin).toBe('https://app.aloware.com');
    expect(sent!.url.pathname).toBe('/api/v1/webhook/ring-group/availability');
    expect(Object.fromEntries(sent!.url.searchParams)).toEqual({ api_token: token, ring_group_id: '1' });
    expect(sent!.headers.get('accept')).toBe('application/json');
    // The token travels in the query only [doc].
    expect(sent!.headers.has('authorization')).toBe(false);
    expect(sent!.redirect).toBe('manual');
  });

  it('uses a configured base URL with its path prefix, and a string ring group id the same', async () => {
    const simulated = alowareQueueSchema.parse({ ...queue, ringGroupId: '42', baseUrl: 'http://127.0.0.1:4010/aloware/' });
    const { fetch, check } = harness(() => jsonReply(fixtureJson('aloware/availability-200.json')));
    await check(simulated, secret);
    expect(fetch.calls[0]!.url.href).toBe(`http://127.0.0.1:4010/aloware/api/v1/webhook/ring-group/availability?api_token=${token}&ring_group_id=42`);
  });

  it('passes the budget signal to fetch', async () => {
    const { fetch, check } = harness(() => jsonReply(fixtureJson('aloware/availability-200.json')));
    const signal = new AbortController().signal;
    await check(queue, secret, signal);
    expect(fetch.calls[0]!.signal).toBe(signal);
  });
});

describe('the Aloware mapping', () => {
  it('maps the documented body: the vendor counts win', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('aloware/availability-200.json')));
    expect(await check(queue, secret)).toEqual({ available: 1, total: 2, extras: { unroutableReasons: {} } });
  });

  it('counts how many agents failed each routing check', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('aloware/availability-200-unroutable.json')));
    expect(await check(queue, secret)).toEqual({
      available: 1,
      total: 3,
      extras: { unroutableReasons: { takes_task_in_operating_hours: 2, takes_call_within_concurrency_limit: 1, is_active: 1 } },
    });
  });

  it('without counts: available = rows with failed_to_route false, total = rows', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('aloware/availability-200-no-counts.json')));
    expect(await check(queue, secret)).toEqual({ available: 2, total: 3, extras: { unroutableReasons: { is_active: 1 } } });
  });

  it('with counts only', async () => {
    const { check } = harness(() => jsonReply({ available_users_count: 4, total_users_count: 9 }));
    expect(await check(queue, secret)).toEqual({ available: 4, total: 9 });
  });

  it('an inbox with nobody in it is 0 of 0, not an error', async () => {
    const { check } = harness(() => jsonReply({ test_results: [], available_users_count: 0, unavailable_users_count: 0, total_users_count: 0 }));
    expect(await check(queue, secret)).toEqual({ available: 0, total: 0, extras: { unroutableReasons: {} } });
  });

  it('counts a reason named like an Object.prototype member under other, as a plain count (points 7, 13)', async () => {
    const reasons = JSON.parse('{"constructor":false,"toString":false,"__proto__":false,"hasOwnProperty":false,"is_active":false}');
    const { check } = harness(() => jsonReply({ test_results: [{ failed_to_route: true, reasons }] }));
    const availability = await check(queue, secret);
    expect(JSON.parse(JSON.stringify(availability.extras?.unroutableReasons))).toEqual({ is_active: 1, other: 3 });
    expect(JSON.stringify(availability)).not.toMatch(/native code|constructor|toString|__proto__|hasOwnProperty/);
  });

  it('passes only the nine documented reason names; any other vendor text is counted under other (point 13)', async () => {
    const documented = [
      'is_active',
      'takes_task_from_area_code',
      'takes_task_in_state',
      'takes_task_in_operating_hours',
      'takes_call_within_concurrency_limit',
      'takes_call_within_quota_limit',
      'takes_call_within_duplication_period_limit',
      'agent_answers_call',
      'agent_accepts_call',
    ];
    const allFailed = Object.fromEntries([...documented, 'new_vendor_check', 'x'.repeat(500), '<script>'].map((name) => [name, false]));
    const { check } = harness(() => jsonReply({ test_results: [{ failed_to_route: true, reasons: { ...allFailed, passed_one: true } }] }));
    const reasons = (await check(queue, secret)).extras?.unroutableReasons;
    expect({ ...(reasons as object) }).toEqual({ ...Object.fromEntries(documented.map((name) => [name, 1])), other: 3 });
  });

  it('returns no names, e-mails or per-agent rows', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('aloware/availability-200-unroutable.json')));
    const text = JSON.stringify(await check(queue, secret));
    for (const personal of ['John', 'Mary', 'j@x', 'm@x', 'Browser', 'Accepting']) expect(text).not.toContain(personal);
  });
});

describe('Aloware errors', () => {
  it('an HTML page with 200 is bad_payload', async () => {
    const { check } = harness(() => textReply('<html><body>Login</body></html>', 200, 'text/html'));
    expect(await vendorFailure(check(queue, secret), token)).toMatchObject({ kind: 'bad_payload', status: 200 });
  });

  it.each([
    ['an object without counts or rows', {}],
    ['a count that is not a number', { available_users_count: '1', total_users_count: 2 }],
    ['a negative count', { available_users_count: -1 }],
    ['an absurd count (point 8)', { available_users_count: 1e308 }],
    ['a count past 2^53 - 1 (point 8)', { available_users_count: 1, total_users_count: 2 ** 53 }],
    ['rows that are not a list', { test_results: 'none' }],
    ['an array', []],
  ])('%s is bad_payload, never 0 agents', async (_label, body) => {
    const { check } = harness(() => jsonReply(body));
    expect((await vendorFailure(check(queue, secret), token)).kind).toBe('bad_payload');
  });

  it('a 401 is auth', async () => {
    const { check } = harness(() => jsonReply({ message: 'Unauthenticated.' }, 401));
    expect(await vendorFailure(check(queue, secret), token)).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('the documented 404 "Inbox not found." is not_found', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('aloware/error-404.json'), 404));
    const error = await vendorFailure(check(queue, secret), token);
    expect(error).toMatchObject({ kind: 'not_found', status: 404 });
    expect(error.message).not.toContain('Inbox');
  });

  it('the documented 400 validation error is bad_request', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('aloware/error-400.json'), 400));
    expect(await vendorFailure(check(queue, secret), token)).toMatchObject({ kind: 'bad_request', status: 400 });
  });

  it('a 422 validation error (as sibling Aloware APIs answer) is bad_request', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('aloware/error-422.json'), 422));
    expect(await vendorFailure(check(queue, secret), token)).toMatchObject({ kind: 'bad_request', status: 422 });
  });

  it('a 429 with Retry-After is rate_limited with the hint', async () => {
    const { check } = harness(() => jsonReply({ message: 'Too Many Attempts.' }, 429, { 'Retry-After': '60' }));
    expect(await vendorFailure(check(queue, secret), token)).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 60_000 });
  });

  it.each([500, 502, 503])('a %i is server', async (status) => {
    const { check } = harness(() => textReply('<html>Server Error</html>', status, 'text/html'));
    expect(await vendorFailure(check(queue, secret), token)).toMatchObject({ kind: 'server', status });
  });

  it('no answer within the budget is timeout', async () => {
    const adapter = createAlowareAdapter({ http: createHttpClient({ fetch: hangingFetch() }) });
    const error = await vendorFailure(adapter.check({ queue, secret, signal: AbortSignal.timeout(20), deadline: Date.now() + 20 }), token);
    expect(error.kind).toBe('timeout');
  });

  it('a refused connection is network, without the URL', async () => {
    const { check } = harness(() => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ECONNREFUSED ?api_token=${token}`), { code: 'ECONNREFUSED' }) });
    });
    expect(await vendorFailure(check(queue, secret), token)).toMatchObject({ kind: 'network' });
  });
});
