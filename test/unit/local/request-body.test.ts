/**
 * The local server's request body (local/request-body.ts): read only when the request says it
 * has one (Content-Length or Transfer-Encoding), as API Gateway's `body` would be, and never past
 * the limit; refused unread when announced too large or sent to a route that takes none.
 */
import { type IncomingHttpHeaders, type IncomingMessage, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestBodyTooLargeError, bodyRefusal, maxRequestBodyBytes, readRequestBody } from '../../../local/request-body';

/** Sends one request to a server that answers with what readRequestBody gave (JSON). */
async function bodyOf(send: (port: number) => void, maxBytes?: number): Promise<{ body: string | null; read: boolean } | { error: string }> {
  let seen: { body: string | null; read: boolean } | { error: string } | undefined;
  const server = createServer(async (incoming: IncomingMessage, response) => {
    try {
      const reading = readRequestBody(incoming, maxBytes);
      seen = { body: reading && (await reading), read: reading !== null };
    } catch (error) {
      seen = { error: (error as Error).name };
    }
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const closed = new Promise<void>((resolve) => server.on('request', (_q, s) => s.on('finish', () => resolve())));
  send((server.address() as AddressInfo).port);
  await closed;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return seen!;
}

const send = (method: string, headers: Record<string, string>, chunks: string[]) => (port: number) => {
  const outgoing = request({ host: '127.0.0.1', port, method, path: '/', headers });
  outgoing.on('error', () => undefined);
  outgoing.on('response', (response) => response.resume());
  for (const chunk of chunks) outgoing.write(chunk);
  outgoing.end();
};

test('a request without Content-Length or Transfer-Encoding has no body, and nothing is read', async () => {
  expect(await bodyOf(send('GET', {}, []))).toEqual({ body: null, read: false });
});

test('a Content-Length body is read as UTF-8 text', async () => {
  const json = JSON.stringify({ state: 'closed', note: 'été' });
  expect(await bodyOf(send('PUT', { 'Content-Length': String(Buffer.byteLength(json)), 'Content-Type': 'application/json' }, [json]))).toEqual({
    body: json,
    read: true,
  });
});

test('a chunked body is read whole', async () => {
  expect(await bodyOf(send('PUT', { 'Transfer-Encoding': 'chunked' }, ['{"a":', '1}']))).toEqual({ body: '{"a":1}', read: true });
});

test('Content-Length: 0 is no body: null, as API Gateway sends it, and nothing is read', async () => {
  expect(await bodyOf(send('PUT', { 'Content-Length': '0' }, []))).toEqual({ body: null, read: false });
});

test('an empty chunked body is null', async () => {
  expect(await bodyOf(send('PUT', { 'Transfer-Encoding': 'chunked' }, []))).toEqual({ body: null, read: true });
});

test('reading stops with RequestBodyTooLargeError as soon as a chunked body passes the limit', async () => {
  expect(await bodyOf(send('PUT', { 'Transfer-Encoding': 'chunked' }, ['x'.repeat(600), 'x'.repeat(600)]), 1000)).toEqual({
    error: RequestBodyTooLargeError.name,
  });
});

test("the limit is API Gateway's 10 MB", () => {
  expect(maxRequestBodyBytes).toBe(10 * 1024 * 1024);
});

describe('bodyRefusal: what is refused before a byte is read', () => {
  const request = (headers: IncomingHttpHeaders) => ({ headers }) as IncomingMessage;

  test('an announced body over the limit: 413 invalid_request, on any route', () => {
    for (const takesBody of [true, false]) {
      expect(bodyRefusal(request({ 'content-length': String(maxRequestBodyBytes + 1) }), takesBody)).toMatchObject({
        statusCode: 413,
        code: 'invalid_request',
      });
    }
  });

  test('a body on a route that takes none: 400 invalid_request', () => {
    expect(bodyRefusal(request({ 'content-length': '5' }), false)).toMatchObject({ statusCode: 400, code: 'invalid_request' });
    expect(bodyRefusal(request({ 'transfer-encoding': 'chunked' }), false)).toMatchObject({ statusCode: 400 });
  });

  test('nothing to refuse: no body, an empty one, or a body within the limit on a route that takes one', () => {
    expect(bodyRefusal(request({}), false)).toBeUndefined();
    expect(bodyRefusal(request({ 'content-length': '0' }), false)).toBeUndefined();
    expect(bodyRefusal(request({ 'content-length': String(maxRequestBodyBytes) }), true)).toBeUndefined();
  });
});
