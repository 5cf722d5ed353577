import { queueConfigSchema } from '../../../shared/config/gate-config';
import { convosoQueueSchema, createConvosoAdapter } from '../../../shared/vendors/convoso';
import { type RecordedRequest, jsonReply, textReply } from '../../support/fake-fetch';
import { fixtureJson } from '../../support/fixtures';
import { adapterHarness, vendorFailure } from '../../support/vendor-harness';

const authToken = 'SENTINEL-CONVOSO-TOKEN-91fe';
const secret = { authToken };
const baseQueue = { id: 'dialer', vendor: 'convoso', secret: 'tg/convoso', queueId: 12, campaignId: '345', skills: ['spanish', 'medicare advantage'] };
const queue = convosoQueueSchema.parse(baseQueue);

function harness(answer: (request: RecordedRequest) => Response | Promise<Response> = () => jsonReply(fixtureJson('convoso/user-activity.json'))) {
  return adapterHarness(createConvosoAdapter, answer);
}

describe('the Convoso request', () => {
  it('is GET api.convoso.com/v1/user-activity/search with the token and the filters the queue names', async () => {
    const { fetch, check } = harness();
    await check(queue, secret);
    const [sent] = fetch.calls;
    expect(sent!.method).toBe('GET');
    expect(`${sent!.url.origin}${sent!.url.pathname}`).toBe('https://api.convoso.com/v1/user-activity/search');
    expect(Object.fromEntries(sent!.url.searchParams)).toEqual({
      auth_token: authToken,
      queue_id: '12',
      campaign_id: '345',
      filter_by_skill_options: 'spanish,medicare advantage',
    });
    expect(sent!.headers.get('authorization')).toBeNull();
  });

  it('sends only what the queue names, ids written as strings or integers alike, on a configured origin', async () => {
    const { fetch, check } = harness();
    await check(convosoQueueSchema.parse({ id: 'c', vendor: 'convoso', secret: 's', campaignId: 7, baseUrl: 'http://127.0.0.1:3107' }), secret);
    expect(fetch.calls[0]!.url.href).toBe(`http://127.0.0.1:3107/v1/user-activity/search?auth_token=${authToken}&campaign_id=7`);
  });
});

describe('the Convoso config', () => {
  it.each([
    ['neither queueId nor campaignId', { queueId: undefined, campaignId: undefined }, ''],
    ['a skill with a comma', { skills: ['spanish,english'] }, 'skills.0'],
    ['an empty skill list', { skills: [] }, 'skills'],
    ['a queueId that is not a number', { queueId: 'Q-1' }, 'queueId'],
    ['a baseUrl with a path', { baseUrl: 'https://api.convoso.com/v1' }, 'baseUrl'],
  ])('refuses %s', (_label, fields, path) => {
    const parsed = queueConfigSchema.safeParse({ ...baseQueue, ...fields });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});

describe('the Convoso mapping', () => {
  it('replays the documented body: available = available_agents, total = logged_in_agents', async () => {
    const { check } = harness();
    expect(await check(queue, secret)).toStrictEqual({ available: 36, total: 125 });
  });

  it('a real zero is zero; without logged_in_agents there is no total', async () => {
    const { check } = harness(() => jsonReply({ success: true, data: { available_agents: 0 } }));
    expect(await check(queue, secret)).toStrictEqual({ available: 0 });
  });

  it.each([
    ['success without data', { success: true }],
    ['a negative count', { success: true, data: { available_agents: -2 } }],
    ['a count as text', { success: true, data: { available_agents: '3' } }],
    ['no success flag', { data: { available_agents: 3 } }],
  ])('%s is bad_payload', async (_label, body) => {
    const { check } = harness(() => jsonReply(body));
    expect(await vendorFailure(check(queue, secret), authToken)).toMatchObject({ kind: 'bad_payload' });
  });
});

describe('Convoso errors', () => {
  it.each([
    ['6041 invalid queue', 'convoso/error-6041.json', 'not_found'],
    ['6004 unknown id', 'convoso/error-6004.json', 'not_found'],
    ['6026 invalid campaign', 'convoso/error-6026.json', 'not_found'],
    ['4001 missing field', 'convoso/error-4001.json', 'bad_request'],
    ['any other code', 'convoso/error-other.json', 'server'],
  ] as const)("HTTP 200 success:false with %s is %s, without Convoso's text", async (_label, fixture, kind) => {
    const { check } = harness(() => jsonReply(fixtureJson(fixture)));
    const error = await vendorFailure(check(queue, secret), authToken);
    expect(error).toMatchObject({ kind, status: 200 });
    expect(error.message).not.toMatch(/Invalid|Missing|wrong/);
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [500, 'server'],
  ] as const)('HTTP %i is %s', async (status, kind) => {
    const { check } = harness(() => jsonReply(fixtureJson('convoso/error-401.json'), status));
    expect(await vendorFailure(check(queue, secret), authToken)).toMatchObject({ kind, status });
  });

  it('a 429 honours Retry-After', async () => {
    const { check } = harness(() => jsonReply({ success: false }, 429, { 'Retry-After': '20' }));
    expect(await vendorFailure(check(queue, secret), authToken)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 20_000 });
  });

  it('a 2xx that is not JSON is bad_payload', async () => {
    const { check } = harness(() => textReply('<html><body>Convoso login</body></html>', 200, 'text/html'));
    expect(await vendorFailure(check(queue, secret), authToken)).toMatchObject({ kind: 'bad_payload' });
  });
});
