/**
 * Bodies and headers at the local server, as API Gateway treats them: a body over 10 MB is a
 * 413 JSON answer, a body is read only after the key is known, a body on a route that takes none
 * is refused unread, an oversized override body is the function's 400 (never a 502), and an
 * oversized header is a 431 JSON answer with the usual headers.
 */
import { connect } from 'node:net';
import { callerEntry, freePorts, startTestGate, type TestGate } from '../support/local-gate';

const adminKey = 'admin-key-0123456789abcdef-limits';
const tenMegabytes = 10 * 1024 * 1024;
let gate: TestGate;
let port: number;

beforeAll(async () => {
  const [vendorPort] = await freePorts(1);
  gate = await startTestGate({
    config: { queues: [{ id: 'q-one', vendor: 'calltools', secret: 'tg/calltools', queueId: 5457, baseUrl: `http://127.0.0.1:${vendorPort}` }] },
    secrets: { 'transfer-gate/callers': { callers: [{ ...callerEntry('ops', adminKey, ['*']), admin: true }] }, 'tg/calltools': { apiKey: 'calltools-key' } },
  });
  port = Number(new URL(gate.url).port);
});
afterAll(async () => {
  await gate?.close();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  json: unknown;
}

function parseAnswer(text: string): RawAnswer {
  const [head = '', body = ''] = text.split('\r\n\r\n', 2);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, json: body ? JSON.parse(body) : undefined };
}

/**
 * Writes `head` (and `chunks` of the body, then stops writing but keeps the socket open unless
 * `end`), and resolves with the first answer the server sends.
 */
function rawRequest(head: string, chunks: Buffer[] = [], end = true): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      for (const chunk of chunks) socket.write(chunk);
      if (end) socket.end();
    });
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      const headEnd = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (headEnd >= 0 && length !== undefined && Buffer.byteLength(text) >= headEnd + 4 + Number(length)) {
        socket.destroy();
        resolve(parseAnswer(text));
      }
    });
    socket.on('error', reject);
  });
}

const putHead = (headers: string) => `PUT /v1/queues/q-one/override HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${headers}\r\n`;
const chunk = (data: Buffer) => Buffer.concat([Buffer.from(`${data.byteLength.toString(16)}\r\n`), data, Buffer.from('\r\n')]);

function expectJsonError(answer: RawAnswer, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.json).toEqual({ error: 'invalid_request', message: expect.any(String) });
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
}

test('a body announced over 10 MB: 413 invalid_request JSON before a byte is read, key or not', async () => {
  for (const key of [adminKey, 'unknown']) {
    expectJsonError(await rawRequest(putHead(`x-api-key: ${key}\r\nContent-Length: ${tenMegabytes + 1}\r\n`), [], false), 413);
  }
});

test('a chunked body that grows past 10 MB: 413 invalid_request JSON, and the reading stops', async () => {
  const megabyte = Buffer.alloc(1024 * 1024, 0x20);
  const chunks = Array.from({ length: 11 }, () => chunk(megabyte));
  expectJsonError(await rawRequest(putHead(`x-api-key: ${adminKey}\r\nTransfer-Encoding: chunked\r\n`), chunks, false), 413);
});

test("a 2 MB override body is the function's 400 invalid_request, not a 502", async () => {
  const body = `{"state":"open"${' '.repeat(2 * 1024 * 1024)}}`;
  const response = await fetch(`${gate.url}/v1/queues/q-one/override`, {
    method: 'PUT',
    headers: { 'x-api-key': adminKey, 'content-type': 'application/json' },
    body,
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({ error: 'invalid_request', message: expect.stringContaining('at most 4096') });
});

test('an unknown key gets its 401 while its body is still arriving: nothing is buffered for it', async () => {
  // The body announces 1 MB and sends 10 bytes: an answer can only come from not waiting for it.
  const answer = await rawRequest(putHead(`x-api-key: not-a-caller\r\nContent-Length: ${1024 * 1024}\r\n`), [Buffer.from('{"state":"')], false);
  expect(answer.status).toBe(401);
  expect(answer.headers.connection).toBe('close');
  expect(answer.json).toEqual({ error: 'unauthorized', message: expect.any(String) });
});

test('a known key with a small body is answered as before', async () => {
  const body = JSON.stringify({ state: 'open' });
  const response = await fetch(`${gate.url}/v1/queues/q-one/override`, { method: 'PUT', headers: { 'x-api-key': adminKey }, body });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ queue: 'q-one', state: 'open', setBy: 'ops' });
});

test('a body on a route that takes none: 400 invalid_request, unread', async () => {
  const head = `GET /v1/queues/q-one/availability HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${adminKey}\r\nContent-Length: ${1024 * 1024}\r\n\r\n`;
  expectJsonError(await rawRequest(head, [Buffer.from('x')], false), 400);
});

test('an oversized header: 431 invalid_request JSON with Cache-Control: no-store, and the server lives', async () => {
  const head = `GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`;
  expectJsonError(await rawRequest(head), 431);
  expect((await gate.get('/v1/health')).status).toBe(200);
});
