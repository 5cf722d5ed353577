import { VendorError } from '../../../shared/errors';
import { createHttpClient } from '../../../shared/vendors/http-client';
import { type VonageQueue, createVonageAdapter, toVonageAvailability, vonageQueueSchema } from '../../../shared/vendors/vonage';
import { vonageTokenFetchBudgetMs } from '../../../shared/vendors/vonage-token';
import { deferred, manualClock } from '../../support/clock';
import { type RecordedRequest, abortError, fakeFetch, jsonReply, textReply } from '../../support/fake-fetch';
import { fixtureJson } from '../../support/fixtures';
import { rejectionOf } from '../../support/rejection';

// Every secret and token in this file contains the sentinel; no error may ever carry it.
const sentinel = 'SENTINEL';
const secret = { clientId: 'tg-client', clientSecret: `${sentinel}-VONAGE-CLIENT-SECRET` };
const queueGuid = '457857dc-19eb-4eb9-b562-c90ca37de447';
const vendorMediaType = 'application/vnd.newvoicemedia.v1+json';
const minutes = 60_000;

type Answer = (request: RecordedRequest, callNumber: number) => Response | Promise<Response>;

const tokenReply = (number: number, expiresIn = 7200) =>
  jsonReply({ access_token: `${sentinel}-TOKEN-${number}`, expires_in: expiresIn, token_type: 'Bearer' });
const documentedAnswer: Answer = () => jsonReply(fixtureJson('vonage/agents-availability.json'), 200, { 'Content-Type': vendorMediaType });
const isTokenCall = (request: RecordedRequest) => request.url.pathname.endsWith('/Auth/connect/token');
const flush = () => new Promise((resolve) => setImmediate(resolve));

function vonageQueue(fields: Record<string, unknown> = {}): VonageQueue {
  return vonageQueueSchema.parse({ id: 'uk', vendor: 'vonage', secret: 'tg/vonage', region: 'emea', queueGuids: [queueGuid], liveness: 'live', ...fields });
}

/** An adapter over a fake Vonage: token and API answers by call number, an injected clock. */
function fakeVonage(answers: { token?: Answer; api?: Answer } = {}) {
  const clock = manualClock();
  let tokenCalls = 0;
  let apiCalls = 0;
  const fetch = fakeFetch((request) =>
    isTokenCall(request)
      ? (answers.token ?? ((_request, number) => tokenReply(number)))(request, ++tokenCalls)
      : (answers.api ?? documentedAnswer)(request, ++apiCalls),
  );
  const adapter = createVonageAdapter({ http: createHttpClient({ fetch, now: clock.now }), now: clock.now });
  return {
    clock,
    tokenCalls: () => fetch.calls.filter(isTokenCall),
    apiCalls: () => fetch.calls.filter((request) => !isTokenCall(request)),
    check: (queue = vonageQueue(), signal = new AbortController().signal, credentials = secret) =>
      adapter.check({ queue, secret: credentials, signal, deadline: clock.now() + 2500 }),
  };
}

/** The VendorError a check fails with; no secret or token may appear in it or its causes. */
async function failure(promise: Promise<unknown>): Promise<VendorError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(VendorError);
  for (let link: unknown = error; link; link = (link as Error).cause) {
    expect(`${(link as Error).message}\n${(link as Error).stack}`).not.toContain(sentinel);
  }
  return error as VendorError;
}

describe('requests', () => {
  it('fetches a token with the documented form, then POSTs the configured filters with the vendor media type', async () => {
    const vonage = fakeVonage();
    const signal = new AbortController().signal;
    await vonage.check(vonageQueue(), signal);
    const [token] = vonage.tokenCalls();
    expect(token!.url.href).toBe('https://emea.newvoicemedia.com/Auth/connect/token');
    expect(token!.method).toBe('POST');
    expect(token!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(token!.headers.get('accept')).toBe('application/json');
    expect(Object.fromEntries(new URLSearchParams(token!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'tg-client',
      client_secret: secret.clientSecret,
      scope: 'agents-availability:read',
    });
    const [api] = vonage.apiCalls();
    expect(api!.url.href).toBe('https://emea.api.newvoicemedia.com/agents-availability');
    expect(api!.method).toBe('POST');
    expect(api!.headers.get('accept')).toBe(vendorMediaType);
    expect(api!.headers.get('authorization')).toBe(`Bearer ${sentinel}-TOKEN-1`);
    expect(api!.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(api!.body!)).toEqual({ queueGuids: [queueGuid], liveness: 'live' });
    // The API call runs on the check's budget; the shared token fetch on its own (point 6).
    expect(api!.signal).toBe(signal);
    expect(token!.signal).not.toBe(signal);
    expect(token!.signal).toBeInstanceOf(AbortSignal);
  });

  it('sends only the filters the queue names', async () => {
    const vonage = fakeVonage();
    await vonage.check(vonageQueue({ queueGuids: undefined, liveness: undefined, groupGuids: [queueGuid], skillGuids: [queueGuid] }));
    expect(JSON.parse(vonage.apiCalls()[0]!.body!)).toEqual({ groupGuids: [queueGuid], skillGuids: [queueGuid] });
  });

  it('uses baseUrl and authUrl over the region hosts', async () => {
    const vonage = fakeVonage();
    await vonage.check(vonageQueue({ region: 'nam', baseUrl: 'https://gw.example.test/vcc/' }));
    await vonage.check(vonageQueue({ region: undefined, baseUrl: 'https://gw.example.test', authUrl: 'https://auth.example.test/' }));
    expect(vonage.tokenCalls().map((request) => request.url.href)).toEqual([
      'https://nam.newvoicemedia.com/Auth/connect/token',
      'https://auth.example.test/Auth/connect/token',
    ]);
    expect(vonage.apiCalls().map((request) => request.url.href)).toEqual([
      'https://gw.example.test/vcc/agents-availability',
      'https://gw.example.test/agents-availability',
    ]);
  });
});

describe('mapping', () => {
  it('maps the documented body: available is availabilitySummary.available, not Ready', async () => {
    expect(await fakeVonage().check()).toEqual({ available: 8, busy: 4, away: 13, offline: 10, total: 35 });
  });

  it('needs only availabilitySummary.available and tolerates new fields and presences', () => {
    expect(toVonageAvailability({ availabilitySummary: { available: 3 } })).toEqual({ available: 3 });
    const body = {
      presenceSummary: { Ready: 12, OnBreak: 2, ExtendedAway: 1, note: 'x' },
      availabilitySummary: { available: 0, insufficientCapacity: 12, extra: true },
    };
    expect(toVonageAvailability(vonageBodyOf(body))).toEqual({ available: 0, busy: 12, away: 1, total: 15 });
  });
});

function vonageBodyOf(body: unknown) {
  return body as Parameters<typeof toVonageAvailability>[0];
}

describe('token cache', () => {
  it('reuses one token for every queue with the same credentials', async () => {
    const vonage = fakeVonage();
    const other = vonageQueue({ id: 'uk-sales', queueGuids: ['00000000-0000-4000-8000-000000000001'] });
    await Promise.all([vonage.check(), vonage.check(other)]);
    await Promise.all([vonage.check(), vonage.check(other)]);
    expect(vonage.tokenCalls()).toHaveLength(1);
    expect(vonage.apiCalls().map((request) => request.headers.get('authorization'))).toEqual(Array(4).fill(`Bearer ${sentinel}-TOKEN-1`));
  });

  it('keeps separate tokens for another client secret or another authUrl', async () => {
    const vonage = fakeVonage();
    await vonage.check();
    await vonage.check(vonageQueue(), undefined, { ...secret, clientSecret: `${sentinel}-ROTATED` });
    await vonage.check(vonageQueue({ authUrl: 'https://auth.example.test' }));
    await vonage.check();
    expect(vonage.tokenCalls()).toHaveLength(3);
  });

  it('refreshes 5 minutes before the token expires', async () => {
    const vonage = fakeVonage();
    await vonage.check();
    vonage.clock.advance(115 * minutes - 1);
    await vonage.check();
    expect(vonage.tokenCalls()).toHaveLength(1);
    vonage.clock.advance(1);
    await vonage.check();
    expect(vonage.tokenCalls()).toHaveLength(2);
    expect(vonage.apiCalls()[2]!.headers.get('authorization')).toBe(`Bearer ${sentinel}-TOKEN-2`);
  });

  it('uses a token of 5 minutes or less for half its life', async () => {
    const vonage = fakeVonage({ token: (_request, number) => tokenReply(number, 120) });
    await vonage.check();
    vonage.clock.advance(60_000 - 1);
    await vonage.check();
    expect(vonage.tokenCalls()).toHaveLength(1);
    vonage.clock.advance(1);
    await vonage.check();
    expect(vonage.tokenCalls()).toHaveLength(2);
  });

  it('fetches exactly one token for 20 concurrent checks on a cold cache', async () => {
    const held = deferred<Response>();
    const vonage = fakeVonage({ token: () => held.promise });
    const checks = Array.from({ length: 20 }, () => vonage.check());
    await flush();
    expect(vonage.tokenCalls()).toHaveLength(1);
    held.resolve(tokenReply(1));
    expect((await Promise.all(checks)).map((answer) => answer.available)).toEqual(Array(20).fill(8));
    expect(vonage.tokenCalls()).toHaveLength(1);
    expect(vonage.apiCalls()).toHaveLength(20);
  });

  it('a short-budget check that started the token fetch does not cut it short for a longer one (point 6)', async () => {
    const held = deferred<Response>();
    const vonage = fakeVonage({
      token: (request) =>
        new Promise<Response>((resolve, reject) => {
          request.signal?.addEventListener('abort', () => reject(abortError()), { once: true });
          held.promise.then(resolve, reject);
        }),
    });
    const short = new AbortController();
    const shortCheck = vonage.check(vonageQueue({ id: 'short', timeoutMs: 200 }), short.signal);
    const longCheck = vonage.check(vonageQueue({ id: 'long', timeoutMs: 3000 }));
    await flush();
    short.abort();
    expect((await failure(shortCheck)).kind).toBe('timeout');
    expect(vonage.tokenCalls()).toHaveLength(1);
    expect(vonage.tokenCalls()[0]!.signal?.aborted).toBe(false);
    held.resolve(tokenReply(1));
    expect(await longCheck).toMatchObject({ available: 8 });
    expect(vonage.tokenCalls()).toHaveLength(1);
  });

  it('each waiter gives up on its own signal while the shared fetch goes on (point 6)', async () => {
    const held = deferred<Response>();
    const vonage = fakeVonage({ token: () => held.promise });
    const first = new AbortController();
    const second = new AbortController();
    const checks = [vonage.check(vonageQueue(), first.signal), vonage.check(vonageQueue(), second.signal)];
    await flush();
    second.abort();
    expect((await failure(checks[1]!)).kind).toBe('timeout');
    held.resolve(tokenReply(1));
    expect(await checks[0]).toMatchObject({ available: 8 });
    // The token the abandoned waiter left behind is cached for the next check.
    await vonage.check();
    expect(vonage.tokenCalls()).toHaveLength(1);
  });

  it('the shared token fetch runs on its own bounded budget, not on a caller signal', async () => {
    const vonage = fakeVonage();
    const budget = new AbortController();
    await vonage.check(vonageQueue(), budget.signal);
    expect(vonage.tokenCalls()[0]!.signal).not.toBe(budget.signal);
    expect(vonageTokenFetchBudgetMs).toBeLessThanOrEqual(25_000);
  });

  it('does not cache a failed token fetch: the next check tries again', async () => {
    const vonage = fakeVonage({ token: (_request, number) => (number === 1 ? jsonReply({ message: 'down' }, 503) : tokenReply(number)) });
    const error = await failure(vonage.check());
    expect([error.kind, error.status, error.message]).toEqual(['server', 503, 'token request failed: vendor answered HTTP 503']);
    expect(await vonage.check()).toMatchObject({ available: 8 });
    expect(vonage.tokenCalls()).toHaveLength(2);
  });
});

describe('a 401 from /agents-availability', () => {
  it('drops the token, fetches one new token and retries once, inside the same budget', async () => {
    const vonage = fakeVonage({ api: (request, number) => (number === 1 ? textReply('', 401) : documentedAnswer(request, number)) });
    const signal = new AbortController().signal;
    expect(await vonage.check(vonageQueue(), signal)).toMatchObject({ available: 8 });
    expect(vonage.tokenCalls()).toHaveLength(2);
    expect(vonage.apiCalls().map((request) => request.headers.get('authorization'))).toEqual([`Bearer ${sentinel}-TOKEN-1`, `Bearer ${sentinel}-TOKEN-2`]);
    expect(vonage.apiCalls().every((request) => request.signal === signal)).toBe(true);
    await vonage.check();
    expect(vonage.tokenCalls()).toHaveLength(2);
  });

  it('becomes vendorError auth when the retry is refused too', async () => {
    const vonage = fakeVonage({ api: () => textReply('', 401) });
    const error = await failure(vonage.check());
    expect([error.kind, error.status]).toEqual(['auth', 401]);
    expect(vonage.tokenCalls()).toHaveLength(2);
    expect(vonage.apiCalls()).toHaveLength(2);
  });

  it('refreshes once when concurrent checks hit 401 with the same token', async () => {
    let revoked = false;
    const vonage = fakeVonage({
      api: (request, number) =>
        revoked && request.headers.get('authorization') === `Bearer ${sentinel}-TOKEN-1` ? textReply('', 401) : documentedAnswer(request, number),
    });
    await vonage.check();
    revoked = true;
    await Promise.all(Array.from({ length: 5 }, () => vonage.check()));
    expect(vonage.tokenCalls()).toHaveLength(2);
    expect(vonage.apiCalls()).toHaveLength(11);
  });
});

describe('errors', () => {
  it.each([
    ['HTML with a 200', 'bad_payload', 200, () => textReply('<html><body>Sign in</body></html>', 200, 'text/html')],
    ['JSON of the wrong shape', 'bad_payload', 200, () => jsonReply({ presenceSummary: { Ready: 1 } })],
    ['a count that is not a number', 'bad_payload', 200, () => jsonReply({ availabilitySummary: { available: '8' } })],
    ['an absurd count (1e308, point 8)', 'bad_payload', 200, () => jsonReply({ availabilitySummary: { available: 1e308 } })],
    [
      'an absurd unknown presence (point 8)',
      'bad_payload',
      200,
      () => jsonReply({ availabilitySummary: { available: 1 }, presenceSummary: { Ready: 1, Busy: 1e308 } }),
    ],
    ['a negative unknown presence (point 8)', 'bad_payload', 200, () => jsonReply({ availabilitySummary: { available: 1 }, presenceSummary: { OnBreak: -3 } })],
    [
      'presences whose sum is not a safe integer (point 8)',
      'bad_payload',
      200,
      () => jsonReply({ availabilitySummary: { available: 1 }, presenceSummary: { Away: Number.MAX_SAFE_INTEGER, ExtendedAway: 1 } }),
    ],
    ['400', 'bad_request', 400, () => jsonReply({ message: 'queueGuids and groupGuids cannot be used together' }, 400)],
    ['403 (API not enabled or scope missing)', 'auth', 403, () => jsonReply({ message: 'Forbidden' }, 403)],
    ['404', 'not_found', 404, () => jsonReply({ message: 'Not Found' }, 404)],
    ['500', 'server', 500, () => jsonReply({ message: 'error' }, 500)],
    ['503', 'server', 503, () => textReply('<html>Service Unavailable</html>', 503, 'text/html')],
  ] as const)('API answering %s is %s (HTTP %s), with no token refetch', async (_name, kind, status, answer) => {
    const vonage = fakeVonage({ api: answer });
    const error = await failure(vonage.check());
    expect([error.kind, error.status]).toEqual([kind, status]);
    expect([vonage.tokenCalls().length, vonage.apiCalls().length]).toEqual([1, 1]);
  });

  it('429 is rate_limited with the Retry-After hint', async () => {
    const vonage = fakeVonage({ api: () => jsonReply({ message: 'Too Many Requests' }, 429, { 'Retry-After': '30' }) });
    const error = await failure(vonage.check());
    expect([error.kind, error.status, error.retryAfterMs]).toEqual(['rate_limited', 429, 30_000]);
  });

  it.each([
    ['400 invalid_client', 'auth', () => jsonReply({ error: 'invalid_client' }, 400)],
    ['400 invalid_scope', 'auth', () => jsonReply({ error: 'invalid_scope' }, 400)],
    ['401', 'auth', () => jsonReply({ error: 'invalid_client' }, 401)],
    ['429', 'rate_limited', () => jsonReply({}, 429, { 'Retry-After': '5' })],
    ['no access_token', 'bad_payload', () => jsonReply({ expires_in: 7200, token_type: 'Bearer' })],
    ['an absurd expires_in (point 8)', 'bad_payload', () => jsonReply({ access_token: `${sentinel}-T`, expires_in: 1e308, token_type: 'Bearer' })],
    ['a token type other than Bearer', 'bad_payload', () => jsonReply({ access_token: `${sentinel}-MAC`, expires_in: 7200, token_type: 'mac' })],
  ] as const)('token endpoint answering %s is %s, and the API is not called', async (_name, kind, answer) => {
    const vonage = fakeVonage({ token: answer });
    const error = await failure(vonage.check());
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(/^token request failed: /);
    expect(vonage.apiCalls()).toHaveLength(0);
  });

  it.each([
    ['the token endpoint', 'token'],
    ['the API', 'api'],
  ] as const)('a budget that runs out while %s is silent is a timeout', async (_name, silent) => {
    const hang: Answer = (request) => new Promise((_resolve, reject) => request.signal?.addEventListener('abort', () => reject(abortError()), { once: true }));
    const vonage = fakeVonage({ [silent]: hang });
    const budget = new AbortController();
    const pending = vonage.check(vonageQueue(), budget.signal);
    await flush();
    budget.abort();
    expect((await failure(pending)).kind).toBe('timeout');
  });
});

describe("the check's own client (the gate's budget)", () => {
  it('makes the token fetch and the availability call with the client the check is given', async () => {
    const clock = manualClock();
    const fetch = fakeFetch((request) => (isTokenCall(request) ? tokenReply(1) : documentedAnswer(request, 1)));
    const factoryFetch = fakeFetch(() => jsonReply({}, 500));
    const adapter = createVonageAdapter({ http: createHttpClient({ fetch: factoryFetch, now: clock.now }), now: clock.now });
    const perCheck = createHttpClient({ fetch, now: clock.now });
    const requestJson = jest.spyOn(perCheck, 'requestJson');
    await adapter.check({ queue: vonageQueue(), secret, signal: new AbortController().signal, deadline: clock.now() + 2500, http: perCheck });
    expect(requestJson).toHaveBeenCalledTimes(2);
    expect(fetch.calls.filter(isTokenCall)).toHaveLength(1);
    expect(factoryFetch.calls).toHaveLength(0);
  });
});
