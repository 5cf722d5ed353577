import * as z from 'zod/mini';
import { VendorError } from '../../../shared/errors';
import { createHttpClient, kindForStatus, parseRetryAfter, vendorEndpoint } from '../../../shared/vendors/http-client';
import { maxRetryAfterMs } from '../../../shared/vendors/retry-after';
import { type RecordedRequest, fakeFetch, hangingFetch, jsonReply, textReply } from '../../support/fake-fetch';
import { rejectionOf } from '../../support/rejection';

const sentinel = 'SENTINEL-TOKEN-7f3a';
const tokenUrl = new URL(`https://app.aloware.com/api/v1/webhook/ring-group/availability?api_token=${sentinel}&ring_group_id=1`);
const countSchema = z.object({ count: z.number().check(z.int()) });
const now = Date.parse('2026-11-22T10:00:00.000Z');

function clientAnswering(answer: (request: RecordedRequest) => Response | Promise<Response>, maxBodyBytes?: number) {
  const fetch = fakeFetch(answer);
  return { fetch, http: createHttpClient({ fetch, now: () => now, maxBodyBytes }) };
}

function request(signal: AbortSignal = new AbortController().signal) {
  return { url: tokenUrl, headers: { Accept: 'application/json' }, signal };
}

/** The VendorError a request fails with; also checks that nothing in it carries the token. */
async function failure(promise: Promise<unknown>): Promise<VendorError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(VendorError);
  const vendorError = error as VendorError;
  expect(`${vendorError.message}\n${vendorError.stack}\n${String(vendorError.cause ?? '')}`).not.toContain(sentinel);
  expect(vendorError.message).not.toContain('api_token');
  return vendorError;
}

describe('a 2xx JSON answer', () => {
  it('is parsed with the schema, extra fields tolerated', async () => {
    const { http, fetch } = clientAnswering(() => jsonReply({ count: 3, next: null, agents: [{ name: 'Jane' }] }));
    const response = await http.requestJson(request(), countSchema);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ count: 3 });
    expect(fetch.calls).toHaveLength(1);
  });

  it('sends method GET, the headers, the signal, and redirect: manual', async () => {
    const { http, fetch } = clientAnswering(() => jsonReply({ count: 1 }));
    const signal = new AbortController().signal;
    await http.requestJson(request(signal), countSchema);
    const [sent] = fetch.calls;
    expect(sent!.url.href).toBe(tokenUrl.href);
    expect(sent!.method).toBe('GET');
    expect(sent!.headers.get('accept')).toBe('application/json');
    expect(sent!.signal).toBe(signal);
    expect(sent!.redirect).toBe('manual');
    expect(sent!.body).toBeUndefined();
  });

  it('sends a json body with Content-Type application/json', async () => {
    const { http, fetch } = clientAnswering(() => jsonReply({ count: 1 }));
    await http.requestJson({ ...request(), method: 'POST', json: { queueIds: ['qu-1'] } }, countSchema);
    expect(fetch.calls[0]!.method).toBe('POST');
    expect(fetch.calls[0]!.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(fetch.calls[0]!.body!)).toEqual({ queueIds: ['qu-1'] });
  });

  it('sends a form body form-encoded', async () => {
    const { http, fetch } = clientAnswering(() => jsonReply({ count: 1 }));
    await http.requestJson({ ...request(), method: 'POST', form: { grant_type: 'client_credentials', scope: 'agents-availability:read' } }, countSchema);
    expect(fetch.calls[0]!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(fetch.calls[0]!.body).toBe('grant_type=client_credentials&scope=agents-availability%3Aread');
  });

  it('accepts vendor JSON media types and a missing Content-Type', async () => {
    const vendorJson = clientAnswering(() => textReply('{"count":2}', 200, 'application/vnd.newvoicemedia.v1+json; charset=utf-8'));
    await expect(vendorJson.http.requestJson(request(), countSchema)).resolves.toMatchObject({ body: { count: 2 } });
    const untyped = clientAnswering(() => new Response(new TextEncoder().encode('{"count":4}'), { status: 200 }));
    await expect(untyped.http.requestJson(request(), countSchema)).resolves.toMatchObject({ body: { count: 4 } });
  });
});

describe('a 2xx that is not the expected JSON is bad_payload', () => {
  it('HTML 200 (a login or Cloudflare page)', async () => {
    const { http } = clientAnswering(() => textReply('<!DOCTYPE html><html><body>Sign in</body></html>', 200, 'text/html; charset=UTF-8'));
    const error = await failure(http.requestJson(request(), countSchema));
    expect(error.kind).toBe('bad_payload');
    expect(error.status).toBe(200);
    expect(error.message).toBe('vendor answered a non-JSON content type');
    expect(error.message).not.toContain('Sign in');
  });

  it('names no vendor-controlled content type, whatever the vendor sends (point 13)', async () => {
    const { http } = clientAnswering(() => textReply('x', 200, 'text/evil-ATTACKER-TEXT; charset=x'));
    const error = await failure(http.requestJson(request(), countSchema));
    expect(error).toMatchObject({ kind: 'bad_payload', message: 'vendor answered a non-JSON content type' });
    expect(`${error.message}${error.stack}`).not.toMatch(/evil|attacker/i);
  });

  it('invalid JSON', async () => {
    const { http } = clientAnswering(() => textReply('{"count": 3,', 200, 'application/json'));
    const error = await failure(http.requestJson(request(), countSchema));
    expect(error.kind).toBe('bad_payload');
    expect(error.message).toBe('vendor answer is not valid JSON');
  });

  it('an empty body', async () => {
    const { http } = clientAnswering(() => new Response(null, { status: 200, headers: { 'Content-Type': 'application/json' } }));
    expect((await failure(http.requestJson(request(), countSchema))).kind).toBe('bad_payload');
  });

  it('a schema mismatch, listing the paths but not the values', async () => {
    const schema = z.object({ count: z.number(), agents: z.array(z.object({ state: z.string() })) });
    const { http } = clientAnswering(() => jsonReply({ count: 'jane.doe@example.com', agents: [{ state: 42 }] }));
    const error = await failure(http.requestJson(request(), schema));
    expect(error.kind).toBe('bad_payload');
    expect(error.message).toContain('count');
    expect(error.message).toContain('agents.0.state');
    expect(error.message).not.toContain('jane.doe');
    expect(error.message).not.toContain('42');
  });

  it('a body larger than maxBodyBytes', async () => {
    const { http } = clientAnswering(() => jsonReply({ count: 1, padding: 'x'.repeat(5000) }), 1024);
    const error = await failure(http.requestJson(request(), countSchema));
    expect(error.kind).toBe('bad_payload');
    expect(error.message).toContain('larger than 1024 bytes');
  });

  it('a body just under maxBodyBytes is read', async () => {
    const body = JSON.stringify({ count: 1, padding: 'x'.repeat(900) });
    const { http } = clientAnswering(() => textReply(body, 200, 'application/json'), body.length);
    await expect(http.requestJson(request(), countSchema)).resolves.toMatchObject({ body: { count: 1 } });
  });
});

describe('HTTP status codes', () => {
  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not_found'],
    [400, 'bad_request'],
    [422, 'bad_request'],
    [500, 'server'],
    [503, 'server'],
    [530, 'server'],
  ] as const)('%i -> %s, with the status', async (status, kind) => {
    const { http } = clientAnswering(() => jsonReply({ detail: `failed for ${sentinel}` }, status));
    const error = await failure(http.requestJson(request(), countSchema));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.message).toBe(`vendor answered HTTP ${status}`);
  });

  it.each([301, 302, 307])('%i -> bad_payload, never followed', async (status) => {
    const { http, fetch } = clientAnswering(() => new Response(null, { status, headers: { Location: 'https://evil.example.com/' } }));
    const error = await failure(http.requestJson(request(), countSchema));
    expect(error.kind).toBe('bad_payload');
    expect(error.status).toBe(status);
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]!.redirect).toBe('manual');
  });

  it('429 with Retry-After in seconds -> rate_limited with retryAfterMs', async () => {
    const { http } = clientAnswering(() => jsonReply({ message: 'Too Many Requests' }, 429, { 'Retry-After': '7' }));
    const error = await failure(http.requestJson(request(), countSchema));
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 7000 });
  });

  it('429 with Retry-After as an HTTP date -> the time until then', async () => {
    const { http } = clientAnswering(() => jsonReply({}, 429, { 'Retry-After': new Date(now + 30_000).toUTCString() }));
    const error = await failure(http.requestJson(request(), countSchema));
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000 });
  });

  it('429 without Retry-After has no hint', async () => {
    const { http } = clientAnswering(() => jsonReply({}, 429));
    const error = await failure(http.requestJson(request(), countSchema));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('a vendor-specific retry hint wins over Retry-After', async () => {
    const { http } = clientAnswering(() => jsonReply({}, 429, { 'Retry-After': '7', 'X-AircallApi-Reset': '12' }));
    const retryAfterFromHeaders = (headers: Headers) => Number(headers.get('x-aircallapi-reset')) * 1000;
    const error = await failure(http.requestJson({ ...request(), retryAfterFromHeaders }, countSchema));
    expect(error.retryAfterMs).toBe(12_000);
  });
});

describe('transport failures', () => {
  it('an aborted signal -> timeout', async () => {
    const http = createHttpClient({ fetch: hangingFetch() });
    const controller = new AbortController();
    const pending = http.requestJson(request(controller.signal), countSchema);
    controller.abort();
    const error = await failure(pending);
    expect(error.kind).toBe('timeout');
  });

  it('a signal aborted before the call -> timeout', async () => {
    const http = createHttpClient({ fetch: hangingFetch() });
    expect((await failure(http.requestJson(request(AbortSignal.abort()), countSchema))).kind).toBe('timeout');
  });

  it('an abort while the body is read -> timeout', async () => {
    const controller = new AbortController();
    const { http } = clientAnswering((sent) => {
      const body = new ReadableStream<Uint8Array>({
        start(stream) {
          stream.enqueue(new TextEncoder().encode('{"count":'));
          sent.signal!.addEventListener('abort', () => stream.error(new DOMException('This operation was aborted', 'AbortError')));
        },
      });
      return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    const pending = http.requestJson(request(controller.signal), countSchema);
    setTimeout(() => controller.abort(), 5);
    expect((await failure(pending)).kind).toBe('timeout');
  });

  it('a connection error -> network with the error code only', async () => {
    const cause = Object.assign(new Error(`connect ECONNREFUSED 10.0.0.1:443 ${tokenUrl.href}`), { code: 'ECONNREFUSED' });
    const { http } = clientAnswering(() => {
      throw new TypeError('fetch failed', { cause });
    });
    const error = await failure(http.requestJson(request(), countSchema));
    expect(error.kind).toBe('network');
    expect(error.message).toBe('could not reach the vendor (ECONNREFUSED)');
  });

  it('an error without a code -> network', async () => {
    const { http } = clientAnswering(() => {
      throw new TypeError(`fetch failed for ${tokenUrl.href}`);
    });
    const error = await failure(http.requestJson(request(), countSchema));
    expect(error.kind).toBe('network');
    expect(error.message).toBe('could not reach the vendor');
  });
});

describe('kindForStatus', () => {
  it.each([
    [401, 'auth'],
    [410, 'not_found'],
    [408, 'timeout'],
    [418, 'bad_request'],
    [599, 'server'],
    [304, 'bad_payload'],
  ] as const)('%i -> %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });
});

describe('parseRetryAfter (RFC 9110 only)', () => {
  it.each([
    ['0', 0],
    ['120', 120_000],
    [' 3 ', 3000],
  ])('%p delta-seconds', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it('an HTTP date in the past means now', () => {
    expect(parseRetryAfter(new Date(now - 5000).toUTCString(), now)).toBe(0);
  });

  it('reads the three HTTP-date forms recipients must accept (IMF-fixdate, RFC 850, asctime)', () => {
    const at = Date.UTC(2026, 10, 22, 10, 1, 30); // 90 s after `now` in these tests
    const base = Date.UTC(2026, 10, 22, 10, 0, 0);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:01:30 GMT', base)).toBe(at - base);
    expect(parseRetryAfter('Sunday, 22-Nov-26 10:01:30 GMT', base)).toBe(at - base);
    expect(parseRetryAfter('Sun Nov 22 10:01:30 2026', base)).toBe(at - base);
    expect(parseRetryAfter('Sun Nov  2 10:01:30 2026', Date.UTC(2026, 10, 2, 10, 0, 0))).toBe(90_000);
  });

  it('caps any hint at 5 minutes', () => {
    expect(parseRetryAfter('999999999999999999999', now)).toBe(maxRetryAfterMs);
    expect(parseRetryAfter(new Date(now + 3_600_000).toUTCString(), now)).toBe(maxRetryAfterMs);
    expect(maxRetryAfterMs).toBe(300_000);
  });

  it.each([
    null,
    '',
    'soon',
    'foo 2030',
    '2030-01-01T00:00:00Z',
    '1.5',
    '-5',
    '+5',
    '0x10',
    '1e3',
    'Sun, 22 Nov 2026 10:01:30',
    'Sun, 22 Nov 2026 10:01:30 PST',
    'sun, 22 nov 2026 10:01:30 gmt',
    'Sun, 31 Feb 2026 10:01:30 GMT',
    'Sun, 22 Nov 2026 25:01:30 GMT',
    'Tue Nov 22 2026 10:01:30 GMT+0000',
    'Wed, 01 Jan 2030 00:00:00 GMT extra',
  ])('%p gives no hint', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('vendorEndpoint', () => {
  it('joins a base URL and a path', () => {
    expect(vendorEndpoint('https://app.aloware.com', '/api/v1/x').href).toBe('https://app.aloware.com/api/v1/x');
  });

  it('keeps a base path prefix and drops trailing slashes', () => {
    expect(vendorEndpoint('http://127.0.0.1:4010/aloware/', '/api/v1/x').href).toBe('http://127.0.0.1:4010/aloware/api/v1/x');
  });

  it('adds query parameters, encoded, and skips undefined ones', () => {
    const url = vendorEndpoint('https://east-2.calltools.io', '/api/agentstatuses/', { queue: '5457', agent_status_id: undefined, ready: 'true', q: 'a b&c' });
    expect(url.pathname).toBe('/api/agentstatuses/');
    expect([...url.searchParams.entries()]).toEqual([
      ['queue', '5457'],
      ['ready', 'true'],
      ['q', 'a b&c'],
    ]);
    expect(url.search).toBe('?queue=5457&ready=true&q=a+b%26c');
  });
});

describe('a text answer (requestText)', () => {
  it('is the body as text, whatever the content type, never following redirects', async () => {
    const { http, fetch } = clientAnswering(() => textReply('ingroups,agents_waiting\nSALES,2\n', 200, 'text/html; charset=UTF-8'));
    const response = await http.requestText(request());
    expect(response).toMatchObject({ status: 200, body: 'ingroups,agents_waiting\nSALES,2\n' });
    expect(fetch.calls[0]!.redirect).toBe('manual');
  });

  it.each([
    [401, 'auth'],
    [404, 'not_found'],
    [503, 'server'],
  ] as const)('maps HTTP %i to %s, without the URL', async (status, kind) => {
    const { http } = clientAnswering(() => textReply('<html>error</html>', status, 'text/html'));
    expect(await failure(http.requestText(request()))).toMatchObject({ kind, status });
  });

  it('reads at most maxBodyBytes', async () => {
    const { http } = clientAnswering(() => textReply('x'.repeat(200)), 100);
    expect((await failure(http.requestText(request()))).kind).toBe('bad_payload');
  });

  it('is a timeout when the budget signal aborts', async () => {
    const controller = new AbortController();
    const http = createHttpClient({ fetch: hangingFetch(), now: () => now });
    const pending = http.requestText(request(controller.signal));
    controller.abort();
    expect((await failure(pending)).kind).toBe('timeout');
  });
});
