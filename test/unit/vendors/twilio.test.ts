import { queueConfigSchema } from '../../../shared/config/gate-config';
import { createTwilioAdapter, twilioQueueSchema, twilioSecretSchema } from '../../../shared/vendors/twilio';
import { type RecordedRequest, hangingFetch, jsonReply, textReply } from '../../support/fake-fetch';
import { fixtureJson } from '../../support/fixtures';
import { adapterHarness, testNow, vendorFailure } from '../../support/vendor-harness';
import { createHttpClient } from '../../../shared/vendors/http-client';

const accountSid = `AC${'a'.repeat(32)}`;
const workspaceSid = `WS${'a'.repeat(32)}`;
const taskQueueSid = `WQ${'a'.repeat(32)}`;
const apiKeySecret = 'SENTINEL-TWILIO-KEY-SECRET-5e1d';
const keySecret = { accountSid, apiKeySid: `SK${'b'.repeat(32)}`, apiKeySecret };
const tokenSecret = { accountSid, authToken: 'SENTINEL-TWILIO-AUTH-TOKEN-77aa' };
const baseQueue = { id: 'flex', vendor: 'twilio', secret: 'tg/twilio', workspaceSid, taskQueueSid };
const queue = twilioQueueSchema.parse(baseQueue);
const statistics = () => jsonReply(fixtureJson('twilio/real-time-statistics.json'));

function harness(answer: (request: RecordedRequest) => Response | Promise<Response> = statistics) {
  return adapterHarness(createTwilioAdapter, answer);
}

describe('the Twilio request', () => {
  it('is GET taskrouter.twilio.com/v1/Workspaces/{WS}/TaskQueues/{WQ}/RealTimeStatistics?TaskChannel=voice, Basic with the API key', async () => {
    const { fetch, check } = harness();
    await check(queue, keySecret);
    const [sent] = fetch.calls;
    expect(sent!.method).toBe('GET');
    expect(sent!.url.href).toBe(`https://taskrouter.twilio.com/v1/Workspaces/${workspaceSid}/TaskQueues/${taskQueueSid}/RealTimeStatistics?TaskChannel=voice`);
    expect(sent!.headers.get('authorization')).toBe(`Basic ${Buffer.from(`${keySecret.apiKeySid}:${apiKeySecret}`).toString('base64')}`);
    expect(sent!.headers.get('accept')).toBe('application/json');
    expect(sent!.redirect).toBe('manual');
  });

  it('accepts the account SID and auth token instead, and another TaskChannel and origin', async () => {
    const { fetch, check } = harness();
    await check(twilioQueueSchema.parse({ ...baseQueue, taskChannel: 'sms', baseUrl: 'http://127.0.0.1:3106/' }), tokenSecret);
    expect(fetch.calls[0]!.url.href).toBe(`http://127.0.0.1:3106/v1/Workspaces/${workspaceSid}/TaskQueues/${taskQueueSid}/RealTimeStatistics?TaskChannel=sms`);
    expect(fetch.calls[0]!.headers.get('authorization')).toBe(`Basic ${Buffer.from(`${accountSid}:${tokenSecret.authToken}`).toString('base64')}`);
  });
});

describe('the Twilio config and secret', () => {
  it.each([
    ['a workspace SID of another kind', { workspaceSid: taskQueueSid }, 'workspaceSid'],
    ['a TaskQueue SID too short', { taskQueueSid: 'WQ123' }, 'taskQueueSid'],
    ['a TaskChannel that is not a name', { taskChannel: 'voice&x=1' }, 'taskChannel'],
    ['a baseUrl with a path', { baseUrl: 'https://taskrouter.twilio.com/v1' }, 'baseUrl'],
    ['a baseUrl over http', { baseUrl: 'http://taskrouter.twilio.com' }, 'baseUrl'],
  ])('refuses %s', (_label, fields, path) => {
    const parsed = queueConfigSchema.safeParse({ ...baseQueue, ...fields });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('takes an API key or an auth token, never neither', () => {
    expect(twilioSecretSchema.safeParse(keySecret).success).toBe(true);
    expect(twilioSecretSchema.safeParse(tokenSecret).success).toBe(true);
    expect(twilioSecretSchema.safeParse({ accountSid }).success).toBe(false);
    expect(twilioSecretSchema.safeParse({ ...keySecret, accountSid: 'AC1' }).success).toBe(false);
  });
});

describe('the Twilio mapping', () => {
  it('replays the documented body: available = total_available_workers, total = eligible, offline = the Offline activity', async () => {
    const { check } = harness();
    expect(await check(queue, keySecret)).toStrictEqual({ available: 100, offline: 6, away: 0, total: 100 });
  });

  it('away = total - available - offline; "offline" matched case-insensitively; customer activity names never returned', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('twilio/real-time-statistics-floor.json')));
    const availability = await check(queue, keySecret);
    expect(availability).toStrictEqual({ available: 3, offline: 4, away: 5, total: 12 });
    expect(JSON.stringify(availability)).not.toMatch(/Lunch|Unavailable/);
  });

  it('no Offline activity is 0 offline; no eligible count leaves total and away out', async () => {
    const { check } = harness(() => jsonReply({ account_sid: accountSid, total_available_workers: 2, activity_statistics: [] }));
    expect(await check(queue, keySecret)).toStrictEqual({ available: 2, offline: 0 });
  });

  it('an answer for another account is bad_payload, never counted', async () => {
    const { check } = harness(() => jsonReply({ ...(fixtureJson('twilio/real-time-statistics.json') as object), account_sid: `AC${'f'.repeat(32)}` }));
    expect(await vendorFailure(check(queue, keySecret), apiKeySecret)).toMatchObject({ kind: 'bad_payload' });
  });

  it.each([
    ['no total_available_workers', { account_sid: accountSid, total_eligible_workers: 3 }],
    ['a negative count', { account_sid: accountSid, total_available_workers: -1 }],
    ['a fractional count', { account_sid: accountSid, total_available_workers: 1.5 }],
  ])('%s is bad_payload', async (_label, body) => {
    const { check } = harness(() => jsonReply(body));
    expect(await vendorFailure(check(queue, keySecret), apiKeySecret)).toMatchObject({ kind: 'bad_payload' });
  });
});

describe('Twilio errors and rate limits', () => {
  it.each([
    ['the 401 code 20003', 401, 'twilio/error-401.json', 'auth'],
    ['a 403', 403, 'twilio/error-401.json', 'auth'],
    ['the 404 code 20404 (wrong workspace or queue)', 404, 'twilio/error-404.json', 'not_found'],
    ['a 400', 400, 'twilio/error-404.json', 'bad_request'],
    ['a 503', 503, 'twilio/error-404.json', 'server'],
  ] as const)('%s is %s', async (_label, status, fixture, kind) => {
    const { check } = harness(() => jsonReply(fixtureJson(fixture), status));
    const error = await vendorFailure(check(queue, keySecret), apiKeySecret);
    expect(error).toMatchObject({ kind, status });
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('a 429 (code 20429) without Retry-After blocks for the 10-second averaging window', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('twilio/error-429.json'), 429, { 'X-Rate-Limit-Remaining': '0' }));
    expect(await vendorFailure(check(queue, keySecret), apiKeySecret)).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 10_000 });
  });

  it('a 429 with Retry-After waits that long', async () => {
    const { check } = harness(() => jsonReply(fixtureJson('twilio/error-429.json'), 429, { 'Retry-After': '3' }));
    expect(await vendorFailure(check(queue, keySecret), apiKeySecret)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3_000 });
  });

  it.each([
    ['0', [10_000]],
    ['4', []],
  ])('a 2xx with X-Rate-Limit-Remaining: %s answers, and holds the secret off %j', async (remaining, holds) => {
    const holdOff = jest.fn();
    const fetch = async () =>
      jsonReply(fixtureJson('twilio/real-time-statistics.json'), 200, { 'X-Rate-Limit-Limit': '100', 'X-Rate-Limit-Remaining': remaining });
    const adapter = createTwilioAdapter({ http: createHttpClient({ fetch, now: () => testNow }) });
    await expect(adapter.check({ queue, secret: keySecret, signal: new AbortController().signal, deadline: testNow + 2500, holdOff })).resolves.toMatchObject({
      available: 100,
    });
    expect(holdOff.mock.calls.map(([waitMs]) => waitMs)).toEqual(holds);
  });

  it('an HTML page with 200 is bad_payload; a silent Twilio is a timeout', async () => {
    const { check } = harness(() => textReply('<html>maintenance</html>', 200, 'text/html'));
    expect(await vendorFailure(check(queue, keySecret), apiKeySecret)).toMatchObject({ kind: 'bad_payload' });
    const adapter = createTwilioAdapter({ http: createHttpClient({ fetch: hangingFetch(), now: () => testNow }) });
    const controller = new AbortController();
    const pending = adapter.check({ queue, secret: keySecret, signal: controller.signal, deadline: testNow + 2500 });
    controller.abort();
    expect(await vendorFailure(pending, apiKeySecret)).toMatchObject({ kind: 'timeout' });
  });
});
