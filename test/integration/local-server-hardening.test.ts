/**
 * The local server as a hostile caller meets it (issue 7, points 1 to 3): odd request targets,
 * Object.prototype names as header and query names, and many overlapping requests whose log
 * lines must each carry their own request's keys.
 */
import '../support/verbose-logs';
import { connect } from 'node:net';
import { callerEntry, freePorts, startTestGate, type TestGate } from '../support/local-gate';

const callers = ['alpha', 'bravo', 'charlie'].map((name) => ({ name, key: `${name}-key-0123456789abcdef` }));
const queues = ['q-one', 'q-two', 'q-three'];
let gate: TestGate;
const output: string[] = [];
const originalWrites = { stdout: process.stdout.write, stderr: process.stderr.write };

beforeAll(async () => {
  for (const stream of ['stdout', 'stderr'] as const) {
    process[stream].write = ((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
  }
  const ports = await freePorts(queues.length);
  gate = await startTestGate({
    config: {
      queues: queues.map((id, index) => ({
        id,
        vendor: 'calltools',
        secret: 'tg/calltools',
        queueId: 5457,
        baseUrl: `http://127.0.0.1:${ports[index]}`,
        cacheTtlMs: 0,
      })),
    },
    secrets: {
      'transfer-gate/callers': { callers: callers.map((caller) => callerEntry(caller.name, caller.key, ['*'])) },
      'tg/calltools': { apiKey: 'calltools-key' },
    },
  });
});
afterAll(async () => {
  await gate?.close();
  process.stdout.write = originalWrites.stdout;
  process.stderr.write = originalWrites.stderr;
});

/** Sends a raw request line (fetch would normalise the target) and returns the status and body. */
function rawGet(target: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(gate.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.slice(text.indexOf('\r\n\r\n') + 4) }));
  });
}

describe('request targets new URL() refuses', () => {
  it.each(['//', '/\\', '//a:99999', '//a:99999/v1/health', '//evil.example/v1/health'])(
    "answers %j with the gateway's 404 not_found, and the server lives",
    async (target) => {
      const response = await rawGet(target);
      expect(response.status).toBe(404);
      expect(JSON.parse(response.body)).toEqual({ error: 'not_found', message: expect.any(String) });
      expect((await gate.get('/v1/health')).status).toBe(200);
    },
  );

  it.each(['*', 'http://a:99999/v1/health'])('answers %j (not a path, not a URL) with 400 invalid_request', async (target) => {
    const response = await rawGet(target);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'invalid_request', message: 'malformed request target' });
    expect((await gate.get('/v1/health')).status).toBe(200);
  });

  it("lives through a target Node's own parser refuses (a:99999 gets a 400)", async () => {
    expect((await rawGet('a:99999')).status).toBe(400);
    expect((await gate.get('/v1/health')).status).toBe(200);
  });
});

describe('Object.prototype members as names', () => {
  const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

  it('answers a query carrying those names like any other query', async () => {
    const query = names.map((name) => `${name}=1`).join('&');
    const response = await gate.get(`/v1/queues/q-one/availability?${query}`, { 'x-api-key': callers[0]!.key });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ queue: 'q-one', canTransfer: expect.any(Boolean) });
  });

  it('answers headers carrying those names like any other headers', async () => {
    const headers = Object.fromEntries(names.filter((name) => name !== '__proto__').map((name) => [name, 'x']));
    const response = await gate.get('/v1/queues/q-one/availability?format=text', { ...headers, 'x-api-key': callers[0]!.key });
    expect(response.status).toBe(200);
    // fetch cannot send a header named __proto__ through a plain object: send it raw.
    const raw = await rawRequestWithHeaders('/v1/queues/q-one/availability?format=count', [
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['x-api-key', callers[0]!.key],
    ]);
    expect(raw.status).toBe(200);
  });

  it('still refuses a request whose only "key" is an inherited name', async () => {
    expect((await gate.get('/v1/queues/q-one/availability?constructor=1')).status).toBe(401);
  });
});

function rawRequestWithHeaders(target: string, headers: Array<[string, string]>): Promise<{ status: number }> {
  const { port } = new URL(gate.url);
  const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines}Connection: close\r\n\r\n`));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0) }));
  });
}

describe('log keys under overlapping requests', () => {
  it('puts on each line the request id, caller and queue of its own request', async () => {
    // Slow vendors keep every request in flight while the others start: they all overlap.
    for (const simulator of gate.simulators.values()) simulator.setMode('slow', { slowMs: 40 });
    output.length = 0;
    const planned = Array.from({ length: 150 }, (_unused, index) => ({ caller: callers[index % 3]!, queue: queues[Math.floor(index / 3) % 3]! }));
    const answers = await Promise.all(
      planned.map(async ({ caller, queue }) => {
        const response = await fetch(`${gate.url}/v1/queues/${queue}/availability`, { headers: { 'x-api-key': caller.key } });
        await response.text();
        return { status: response.status, requestId: response.headers.get('x-amzn-requestid')!, caller: caller.name, queue };
      }),
    );
    for (const simulator of gate.simulators.values()) simulator.setMode('ok');

    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const lines = output
      .join('')
      .split('\n')
      .filter((text) => text.startsWith('{'))
      .map((text) => JSON.parse(text));
    const decisions = lines.filter((line) => line.message === 'availability');
    expect(decisions).toHaveLength(planned.length);
    const byRequest = new Map(answers.map((answer) => [answer.requestId, answer]));
    for (const line of decisions) {
      const request = byRequest.get(line.function_request_id);
      expect({ requestId: line.function_request_id, caller: line.caller, queue: line.queue }).toEqual({
        requestId: request?.requestId,
        caller: request?.caller,
        queue: request?.queue,
      });
      byRequest.delete(line.function_request_id); // one line per request
    }
    expect(byRequest.size).toBe(0);
  });
});
