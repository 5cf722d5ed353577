import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { VendorError } from '../../../shared/errors';
import { createHttpClient } from '../../../shared/vendors/http-client';
import { type KoreaiSecret, createKoreaiAdapter, koreaiQueueSchema, signKoreaiJwt } from '../../../shared/vendors/koreai';
import { manualClock } from '../../support/clock';
import { type FakeFetch, type RecordedRequest, abortError, fakeFetch, jsonReply, textReply } from '../../support/fake-fetch';
import { fixtureJson } from '../../support/fixtures';

/** Every personal field in the fixtures carries this (e-mails in lower case). */
const piiMarker = 'pii-sentinel';
const secret: KoreaiSecret = { clientId: 'cs-test-client', clientSecret: 'SECRET-SENTINEL-kore-client-secret-0123456789', accountId: 'acct-42' };
const otherSecret: KoreaiSecret = { ...secret, clientSecret: 'SECRET-SENTINEL-rotated-client-secret-9876543210' };
const baseQueue = { id: 'kore-care', vendor: 'koreai', secret: 'tg/kore', botId: 'st-123', queueIds: ['qu-1'] };
const queue = koreaiQueueSchema.parse(baseQueue);
const piiAgent = { _id: 'a-1', firstName: 'PII-SENTINEL-JANE', emailId: 'pii-sentinel@example.test', phoneNumber: 'PII-SENTINEL-555' };

type Answer = (request: RecordedRequest) => Response | Promise<Response>;

function setup(answer: Answer = () => jsonReply(fixtureJson('koreai/availability.json'))) {
  const clock = manualClock();
  const fetch = fakeFetch(answer);
  const adapter = createKoreaiAdapter({ http: createHttpClient({ fetch, now: clock.now }), now: clock.now });
  const check = (overrides: { queue?: Record<string, unknown>; secret?: KoreaiSecret; signal?: AbortSignal } = {}) =>
    adapter.check({
      queue: overrides.queue ? koreaiQueueSchema.parse(overrides.queue) : queue,
      secret: overrides.secret ?? secret,
      signal: overrides.signal ?? new AbortController().signal,
      deadline: clock.now() + 2500,
    });
  return { clock, fetch, check };
}

const sentToken = (fetch: FakeFetch, index: number) => fetch.calls[index]!.headers.get('auth')!;

function verify(token: string, nowMs: number, clientSecret = secret.clientSecret) {
  return jwtVerify(token, new TextEncoder().encode(clientSecret), { algorithms: ['HS256'], currentDate: new Date(nowMs) });
}

/** The VendorError a check fails with; nothing in it may carry personal data, the secret or the token. */
async function failure(promise: Promise<unknown>, fetch: FakeFetch): Promise<VendorError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the check to fail');
    },
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(VendorError);
  const text = `${(error as Error).message}\n${(error as Error).stack}\n${String((error as Error).cause ?? '')}`.toLowerCase();
  expect(text).not.toContain(piiMarker);
  expect(text).not.toContain('secret-sentinel');
  expect(text).not.toContain(sentToken(fetch, 0).toLowerCase());
  return error as VendorError;
}

describe('the request', () => {
  it('POSTs to the bot availability endpoint on the default host', async () => {
    const { fetch, check } = setup();
    await check();
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]!.method).toBe('POST');
    expect(fetch.calls[0]!.url.href).toBe('https://platform.kore.ai/agentassist/api/v1/public/st-123/agents/availability');
  });

  it('uses a configured baseUrl', async () => {
    const { fetch, check } = setup();
    await check({ queue: { ...baseQueue, baseUrl: 'https://de-platform.kore.ai/' } });
    expect(fetch.calls[0]!.url.href).toBe('https://de-platform.kore.ai/agentassist/api/v1/public/st-123/agents/availability');
  });

  it('sends the raw JWT in auth (no Bearer), accountId, JSON content type and Accept, and the budget signal', async () => {
    const { fetch, check } = setup();
    const signal = new AbortController().signal;
    await check({ signal });
    const { headers } = fetch.calls[0]!;
    expect(headers.get('auth')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(headers.get('authorization')).toBeNull();
    expect(headers.get('accountid')).toBe('acct-42');
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('accept')).toBe('application/json');
    expect(fetch.calls[0]!.signal).toBe(signal);
  });

  it.each([
    [{ queueIds: ['qu-1'] }, { queueIds: ['qu-1'] }],
    [
      { queueIds: undefined, skillIds: ['sk-1', 'sk-2'], agentIds: ['a-9'] },
      { skillIds: ['sk-1', 'sk-2'], agentIds: ['a-9'] },
    ],
    [{ queueIds: undefined }, {}],
  ])('sends only the filters the queue names, as valid JSON: %j', async (filters, expected) => {
    const { fetch, check } = setup();
    await check({ queue: { ...baseQueue, ...filters } });
    expect(JSON.parse(fetch.calls[0]!.body!)).toStrictEqual(expected);
  });
});

describe('the JWT', () => {
  it('is HS256 with appId = client id, sub, iat = now, exp = iat + 300 and a jti, signed with the client secret', async () => {
    const { clock, fetch, check } = setup();
    await check();
    const token = sentToken(fetch, 0);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await verify(token, clock.now());
    expect(payload.appId).toBe('cs-test-client');
    expect(payload.sub).toBe('transfer-gate');
    expect(payload.iat).toBe(clock.now() / 1000);
    expect(payload.exp).toBe(payload.iat! + 300);
    expect(payload.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await expect(verify(token, clock.now(), otherSecret.clientSecret)).rejects.toThrow();
  });

  it('gets a random jti every time one is signed, even in the same second', async () => {
    const now = Date.parse('2026-11-22T10:00:00.000Z');
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => signKoreaiJwt(secret, now)));
    const jtis = await Promise.all(tokens.map(async ({ token }) => (await verify(token, now)).payload.jti));
    expect(new Set(jtis).size).toBe(5);
  });

  it('is signed fresh for every request: two consecutive checks send two tokens with different jti (Enforce JTI)', async () => {
    const { clock, fetch, check } = setup();
    await check();
    await check();
    const [first, second] = [sentToken(fetch, 0), sentToken(fetch, 1)];
    expect(second).not.toBe(first);
    const decoded = [decodeJwt(first), decodeJwt(second)];
    expect(decoded[0]!.jti).toEqual(expect.any(String));
    expect(decoded[1]!.jti).not.toBe(decoded[0]!.jti);
    for (const token of [first, second]) await expect(verify(token, clock.now())).resolves.toBeDefined();
  });

  it('carries a new iat and exp at each request, on the injected clock', async () => {
    const { clock, fetch, check } = setup();
    await check();
    clock.advance(61_000);
    await check();
    const [first, second] = [decodeJwt(sentToken(fetch, 0)), decodeJwt(sentToken(fetch, 1))];
    expect(second.iat).toBe(first.iat! + 61);
    expect(second.exp).toBe(second.iat! + 300);
  });

  it('is signed with the credentials of the check at hand', async () => {
    const { clock, fetch, check } = setup();
    await check();
    await check({ secret: otherSecret });
    await expect(verify(sentToken(fetch, 1), clock.now(), otherSecret.clientSecret)).resolves.toBeDefined();
    await expect(verify(sentToken(fetch, 1), clock.now())).rejects.toThrow();
  });
});

describe('the answer', () => {
  it('counts the documented lists and passes on no agent data', async () => {
    const { check } = setup();
    const availability = await check();
    expect(availability).toStrictEqual({ available: 2, busy: 1, away: 1, offline: 3, total: 7 });
    expect(JSON.stringify(availability).toLowerCase()).not.toContain(piiMarker);
  });

  it('counts a missing list as empty', async () => {
    const { check } = setup(() => jsonReply(fixtureJson('koreai/availability-no-away.json')));
    await expect(check()).resolves.toStrictEqual({ available: 1, busy: 0, away: 0, offline: 1, total: 2 });
  });

  it('tolerates extra fields at the top and in agent records', async () => {
    const { check } = setup(() => jsonReply({ AVAILABLE: [{ ...piiAgent, channels: { voice: true } }], meta: { version: 2 } }));
    await expect(check()).resolves.toStrictEqual({ available: 1, busy: 0, away: 0, offline: 0, total: 1 });
  });
});

describe('failures', () => {
  const html = '<!DOCTYPE html><html><body>PII-SENTINEL sign in</body></html>';
  it.each<[string, VendorError['kind'], number, () => Response]>([
    ['an HTML page', 'bad_payload', 200, () => textReply(html, 200, 'text/html; charset=utf-8')],
    ['invalid JSON', 'bad_payload', 200, () => textReply('{"AVAILABLE": [{"firstName": "PII-SENTINEL"', 200, 'application/json')],
    ['lists that are not arrays', 'bad_payload', 200, () => jsonReply({ AVAILABLE: piiAgent, BUSY: [] })],
    ['JSON with none of the lists', 'bad_payload', 200, () => jsonReply({ errors: [{ msg: 'PII-SENTINEL' }] })],
    ['400', 'bad_request', 400, () => jsonReply({ errors: [{ msg: 'bad body', agent: piiAgent }] }, 400)],
    ['the 401 "Invalid SDK credentials" (4002)', 'auth', 401, () => jsonReply(fixtureJson('koreai/error-401.json'), 401)],
    ['a 412 validation error', 'bad_request', 412, () => jsonReply(fixtureJson('koreai/error-412.json'), 412)],
    ['403', 'auth', 403, () => jsonReply({ errors: [{ msg: 'scope missing', agent: piiAgent }] }, 403)],
    ['404', 'not_found', 404, () => jsonReply({ errors: [{ msg: 'Bot not found' }] }, 404)],
    ['500', 'server', 500, () => jsonReply({ errors: [{ msg: 'boom', agent: piiAgent }] }, 500)],
    ['503 HTML', 'server', 503, () => textReply(html, 503, 'text/html')],
  ])('%s is a VendorError of kind %s (HTTP %d)', async (_name, kind, status, reply) => {
    const { fetch, check } = setup(reply);
    const error = await failure(check(), fetch);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
  });

  it('429 is rate_limited with the Retry-After hint', async () => {
    const { fetch, check } = setup(() => jsonReply({ errors: [{ msg: 'Too many requests' }] }, 429, { 'Retry-After': '7' }));
    const error = await failure(check(), fetch);
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(7000);
  });

  it('a call the time budget aborts is a timeout', async () => {
    const controller = new AbortController();
    const { fetch, check } = setup(
      (request) =>
        new Promise<Response>((_resolve, reject) => {
          request.signal!.addEventListener('abort', () => reject(abortError()), { once: true });
          controller.abort();
        }),
    );
    const error = await failure(check({ signal: controller.signal }), fetch);
    expect(error.kind).toBe('timeout');
  });
});
