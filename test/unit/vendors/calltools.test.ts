import { createHttpClient } from '../../../shared/vendors/http-client';
import { calltoolsBaseUrl, calltoolsQueueSchema, createCalltoolsAdapter } from '../../../shared/vendors/calltools';
import { type RecordedRequest, hangingFetch, jsonReply, textReply } from '../../support/fake-fetch';
import { fixtureJson, fixtureText } from '../../support/fixtures';
import { adapterHarness, vendorFailure } from '../../support/vendor-harness';

const apiKey = 'SENTINEL-CALLTOOLS-KEY-0b9f';
const secret = { apiKey };
const queue = calltoolsQueueSchema.parse({
  id: 'sales',
  vendor: 'calltools',
  secret: 'tg/calltools',
  silo: 'east-2',
  queueId: '5457',
  availableStatusId: '20561',
});

function harness(answer: (request: RecordedRequest) => Response | Promise<Response>) {
  return adapterHarness(createCalltoolsAdapter, answer);
}

describe('the CallTools request', () => {
  it('is GET {silo}.calltools.io/api/agentstatuses/ with queue, agent_status_id and ready=true', async () => {
    const { fetch, check } = harness(() => jsonReply(fixtureJson('calltools/agentstatuses-200.json')));
    await check(queue, secret);
    expect(fetch.calls).toHaveLength(1);
    const [sent] = fetch.calls;
    expect(sent!.method).toBe('GET');
    expect(sent!.url.origin).toBe('https://east-2.calltools.io');
    expect(sent!.url.pathname).toBe('/api/agentstatuses/');
    expect(Object.fromEntries(sent!.url.searchParams)).toEqual({ queue: '5457', agent_status_id: '20561', ready: 'true' });
    expect(sent!.headers.get('authorization')).toBe(`Token ${apiKey}`);
    expect(sent!.headers.get('accept')).toBe('application/json');
    expect(sent!.url.href).not.toContain(apiKey);
  });

  it('sends no agent_status_id when the queue names none, and integer ids the same as strings', async () => {
    const plain = calltoolsQueueSchema.parse({ id: 'sales', vendor: 'calltools', secret: 's', silo: 'app', queueId: 5457 });
    const { fetch, check } = harness(() => jsonReply(fixtureJson('calltools/agentstatuses-200.json')));
    await check(plain, secret);
    expect(fetch.calls[0]!.url.href).toBe('https://app.calltools.io/api/agentstatuses/?queue=5457&ready=true');
  });

  it('uses baseUrl instead of a silo', async () => {
    const simulated = calltoolsQueueSchema.parse({ id: 'sales', vendor: 'calltools', secret: 's', baseUrl: 'http://localhost:4050/calltools', queueId: 1 });
    expect(calltoolsBaseUrl(simulated)).toBe('http://localhost:4050/calltools');
    const { fetch, check } = harness(() => jsonReply([]));
    await check(simulated, secret);
    expect(fetch.calls[0]!.url.href).toBe('http://localhost:4050/calltools/api/agentstatuses/?queue=1&ready=true');
  });
});

describe('the CallTools mapping', () => {
  it.each([
    ['paginated: count', 'calltools/agentstatuses-200.json', 2],
    ['paginated across pages: count is the total, one page is enough', 'calltools/agentstatuses-200-paged.json', 57],
    ['results without count: results.length', 'calltools/agentstatuses-200-results-only.json', 3],
    ['a bare array: its length', 'calltools/agentstatuses-200-array.json', 4],
  ])('%s', async (_label, fixture, available) => {
    const { fetch, check } = harness(() => jsonReply(fixtureJson(fixture)));
    expect(await check(queue, secret)).toEqual({ available });
    expect(fetch.calls).toHaveLength(1);
  });

  it('an empty page is 0 available, not an error', async () => {
    const { check } = harness(() => jsonReply({ count: 0, next: null, previous: null, results: [] }));
    expect(await check(queue, secret)).toEqual({ available: 0 });
  });

  it('returns no agent rows: no full_name, no app_user', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('calltools/agentstatuses-200.json')));
    expect(JSON.stringify(await check(queue, secret))).not.toMatch(/Jane|Patel|3f6c1d2e/);
  });

  it('reads the real rows: app_user, full_name and an integer agent_status, extra fields tolerated', async () => {
    const body = fixtureJson('calltools/agentstatuses-200-results-only.json') as { results: Array<Record<string, unknown>> };
    expect(body.results.every((row) => typeof row.agent_status === 'number' && typeof row.app_user === 'string')).toBe(true);
    const { check } = harness(() => jsonReply({ ...body, results: body.results.map((row) => ({ ...row, skills: [1, 2] })) }));
    expect(await check(queue, secret)).toEqual({ available: 3 });
  });

  it('a row that is not an object is bad_payload, never a count', async () => {
    const { check } = harness(() => jsonReply({ results: ['Jane Doe', 'Raj Patel'] }));
    expect(await vendorFailure(check(queue, secret), apiKey)).toMatchObject({ kind: 'bad_payload' });
  });
});

describe('CallTools errors', () => {
  it('the 401 {"detail":"Invalid token."} is auth', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('calltools/error-401.json'), 401));
    expect(await vendorFailure(check(queue, secret), apiKey)).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('the 403 {"detail":"Invalid token."} (DRF settings vary) is auth', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('calltools/error-403.json'), 403));
    expect(await vendorFailure(check(queue, secret), apiKey)).toMatchObject({ kind: 'auth', status: 403 });
  });

  it('a 403 is auth', async () => {
    const { check } = harness(() => jsonReply({ detail: 'You do not have permission to perform this action.' }, 403));
    expect(await vendorFailure(check(queue, secret), apiKey)).toMatchObject({ kind: 'auth', status: 403 });
  });

  it("a wrong silo's Cloudflare 530 page is server", async () => {
    const { check } = harness(() => textReply(fixtureText('calltools/cloudflare-530.html'), 530, 'text/html; charset=UTF-8'));
    const error = await vendorFailure(check(queue, secret), apiKey);
    expect(error).toMatchObject({ kind: 'server', status: 530 });
    expect(error.message).not.toContain('Origin DNS');
  });

  it('an HTML page with 200 is bad_payload', async () => {
    const { check } = harness(() => textReply(fixtureText('calltools/cloudflare-530.html'), 200, 'text/html'));
    expect(await vendorFailure(check(queue, secret), apiKey)).toMatchObject({ kind: 'bad_payload', status: 200 });
  });

  it.each([
    ['an object without count or results', { detail: 'Not found.' }],
    ['a count that is not a number', { count: '2', results: [] }],
    ['an absurd count (point 8)', { count: 1e308 }],
    ['a negative count (point 8)', { count: -1 }],
    ['a count past 2^53 - 1 (point 8)', { count: 2 ** 53 }],
    ['results that are not a list', { results: {} }],
    ['a number', 3],
  ])('%s is bad_payload, never 0 agents', async (_label, body) => {
    const { check } = harness(() => jsonReply(body));
    expect((await vendorFailure(check(queue, secret), apiKey)).kind).toBe('bad_payload');
  });

  it('a 404 is not_found', async () => {
    const { check } = harness(() => jsonReply({ detail: 'Not found.' }, 404));
    expect(await vendorFailure(check(queue, secret), apiKey)).toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('a 429 with Retry-After is rate_limited with the hint', async () => {
    const { check } = harness(() => jsonReply({ detail: 'Request was throttled. Expected available in 12 seconds.' }, 429, { 'Retry-After': '12' }));
    expect(await vendorFailure(check(queue, secret), apiKey)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 12_000 });
  });

  it.each([500, 502, 504])('a %i is server', async (status) => {
    const { check } = harness(() => textReply('Internal Server Error', status));
    expect(await vendorFailure(check(queue, secret), apiKey)).toMatchObject({ kind: 'server', status });
  });

  it('no answer within the budget is timeout', async () => {
    const adapter = createCalltoolsAdapter({ http: createHttpClient({ fetch: hangingFetch() }) });
    const error = await vendorFailure(adapter.check({ queue, secret, signal: AbortSignal.timeout(20), deadline: Date.now() + 20 }), apiKey);
    expect(error.kind).toBe('timeout');
  });
});
