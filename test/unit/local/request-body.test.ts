/**
 * The local server's request body (local/server.ts readRequestBody): read only when the request
 * says it has one (Content-Length or Transfer-Encoding), as API Gateway's `body` would be.
 */
import { type IncomingMessage, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestBody } from '../../../local/server';

/** Sends one request to a server that answers with what readRequestBody gave (JSON). */
async function bodyOf(send: (port: number) => void): Promise<{ body: string | null; read: boolean }> {
  let seen: { body: string | null; read: boolean } | undefined;
  const server = createServer(async (incoming: IncomingMessage, response) => {
    const reading = readRequestBody(incoming);
    seen = { body: reading && (await reading), read: reading !== null };
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
  expect(await bodyOf(send('PUT', { 'Content-Length': String(Buffer.byteLength(json)), 'Content-Type': 'application/json' }, [json]))).toEqual({ body: json, read: true });
});

test('a chunked body is read whole', async () => {
  expect(await bodyOf(send('PUT', { 'Transfer-Encoding': 'chunked' }, ['{"a":', '1}']))).toEqual({ body: '{"a":1}', read: true });
});

test('Content-Length: 0 is an empty body: null, as API Gateway sends it', async () => {
  expect(await bodyOf(send('PUT', { 'Content-Length': '0' }, []))).toEqual({ body: null, read: true });
});
