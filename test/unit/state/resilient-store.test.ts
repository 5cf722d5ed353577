// Must stay the first import: turns log lines on before shared/logger loads.
import '../../support/verbose-logs';
import { createServer, type Server, type Socket } from 'node:net';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { localDynamoClient } from '../../../local/dynamodb';
import { metricsNamespace, metricsServiceName } from '../../../shared/scheduled/metric-names';
import { DynamoDbStore } from '../../../shared/state/dynamodb-store';
import { MemoryStore } from '../../../shared/state/memory-store';
import { StateUnavailableError } from '../../../shared/errors';
import { type AbortableStore, ResilientStore, StateStoreTimeoutError, stateStoreUnavailableReporter } from '../../../shared/state/resilient-store';
import { manualClock } from '../../support/clock';
import { captureLogs } from '../../support/logs';

type Mode = 'ok' | 'throw' | 'hang';

/** A memory store standing in for the table, that can be told to fail or hang. */
function controlledPrimary() {
  const control = { mode: 'ok' as Mode, calls: 0, signals: [] as AbortSignal[] };
  const inner = new MemoryStore();
  const proxied = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !(property in MemoryStore.prototype)) return value;
      return async (...args: unknown[]) => {
        control.calls += 1;
        if (control.mode === 'throw') throw new Error('ProvisionedThroughputExceededException');
        if (control.mode === 'hang') return new Promise(() => undefined);
        return Reflect.apply(value, target, args);
      };
    },
  });
  const primary: AbortableStore = Object.assign(proxied, {
    withSignal(signal: AbortSignal) {
      control.signals.push(signal);
      return proxied;
    },
  });
  return { primary, control, inner };
}

function setup(mode: Mode = 'ok') {
  const clock = manualClock();
  const { primary, control, inner } = controlledPrimary();
  control.mode = mode;
  const failures: unknown[] = [];
  const store = new ResilientStore({ primary, now: clock.now, onUnavailable: (error) => failures.push(error) });
  return { store, control, inner, clock, failures };
}

afterEach(() => {
  jest.useRealTimers();
});

test('a healthy primary answers, and the fallback is not touched', async () => {
  const { store, inner, failures } = setup();
  expect(await store.takeLease('queue:a', 'me', 0, 1_000)).toBeDefined();
  expect((await inner.readState('queue:a')).lease).toEqual({ owner: 'me', until: 1_000 });
  expect(await store.fallback.readState('queue:a')).toEqual({});
  expect(failures).toEqual([]);
});

test('a primary that throws: the call is answered by the fallback and reported', async () => {
  const { store, failures } = setup('throw');
  expect(await store.takeLease('queue:a', 'me', 0, 1_000)).toBeDefined();
  expect(await store.readState('queue:a')).toEqual({ lease: { owner: 'me', until: 1_000 } });
  expect(failures).toHaveLength(1);
  expect(String(failures[0])).toContain('ProvisionedThroughputExceededException');
});

test('a primary that hangs: the fallback answers at 200 ms and the SDK call is aborted', async () => {
  jest.useFakeTimers();
  const { store, control, failures } = setup('hang');
  let settled = false;
  const answer = store.spendBudget('tg/korai', 0, 30).then((paid) => {
    settled = true;
    return paid;
  });
  await jest.advanceTimersByTimeAsync(199);
  expect(settled).toBe(false);
  await jest.advanceTimersByTimeAsync(1);
  expect(await answer).toBe(true);
  expect(control.signals[0]?.aborted).toBe(true);
  expect(failures[0]).toBeInstanceOf(StateStoreTimeoutError);
});

test('a failure opens the circuit for 5 s; then one call probes the primary, and its success closes it', async () => {
  const { store, control, clock, failures } = setup('throw');
  await store.readState('queue:a');
  expect(control.calls).toBe(1);
  control.mode = 'ok';
  clock.advance(4_999);
  await store.readState('queue:a');
  expect(control.calls).toBe(1);
  expect(store.circuitOpen).toBe(true);

  clock.advance(1);
  control.mode = 'hang';
  jest.useFakeTimers();
  const probe = store.readState('queue:a');
  // While the probe is out, other calls stay on memory.
  await store.readState('queue:b');
  expect(control.calls).toBe(2);
  await jest.advanceTimersByTimeAsync(200);
  await probe;
  expect(failures).toHaveLength(2);

  clock.advance(5_000);
  control.mode = 'ok';
  await store.takeLease('queue:a', 'me', 0, 1_000);
  expect(store.circuitOpen).toBe(false);
  await store.readState('queue:a');
  expect(control.calls).toBe(4);
});

test('shared promises (holds, overrides) never fall back to memory: they throw StateUnavailableError, and nothing is kept', async () => {
  const { store, control, failures, clock } = setup('throw');
  const hold = { callerName: 'acme', callerId: '+15550001', placedAt: 0, expiresAt: 30_000 };
  await expect(store.placeHold('support', hold, 1, 0)).rejects.toBeInstanceOf(StateUnavailableError);
  expect(failures).toHaveLength(1);
  // The circuit is open: promises are refused at once, without a call to the table.
  await expect(store.putOverride('support', { state: 'closed', setBy: 'ops', setAt: 0 })).rejects.toBeInstanceOf(StateUnavailableError);
  await expect(store.holds('support', 0)).rejects.toBeInstanceOf(StateUnavailableError);
  await expect(store.getOverride('support', 0)).rejects.toBeInstanceOf(StateUnavailableError);
  expect(control.calls).toBe(1);
  expect(await store.fallback.holds('support', 0)).toEqual([]);
  expect(await store.fallback.getOverride('support', 0)).toBeUndefined();
  // A promise call may probe the table after 5 s, and its success closes the circuit.
  control.mode = 'ok';
  clock.advance(5_000);
  expect(await store.placeHold('support', hold, 1, 0)).toMatchObject({ placed: true });
  expect(store.circuitOpen).toBe(false);
});

test('a failing onUnavailable hook does not fail the call', async () => {
  const { primary, control } = controlledPrimary();
  control.mode = 'throw';
  const store = new ResilientStore({
    primary,
    onUnavailable: () => {
      throw new Error('logger down');
    },
  });
  await expect(store.blockedUntil('tg/x', 0)).resolves.toBeUndefined();
});

describe('the unavailable reporter', () => {
  test('logs at most once a minute, with the failures since the last line, and emits a metric for each', () => {
    const logs = captureLogs();
    try {
      const clock = manualClock();
      const lines: Array<Record<string, unknown>> = [];
      const metrics = new Metrics({ namespace: metricsNamespace, serviceName: metricsServiceName });
      const report = stateStoreUnavailableReporter({
        logger: { warn: (message, attributes) => lines.push({ message, ...attributes }) },
        metrics,
        now: clock.now,
      });
      report(new Error('Requested resource not found'));
      clock.advance(30_000);
      report(new Error('timeout'));
      clock.advance(29_999);
      report(new Error('timeout'));
      expect(lines).toHaveLength(1);
      clock.advance(1);
      report(new Error('timeout'));
      expect(lines).toEqual([
        { message: 'state store unavailable', failures: 1, error: { name: 'Error', message: 'Requested resource not found' } },
        { message: 'state store unavailable', failures: 3, error: { name: 'Error', message: 'timeout' } },
      ]);
      const emf = logs
        .text()
        .split('\n')
        .filter((line) => line.includes('"_aws"'))
        .map((line) => JSON.parse(line));
      expect(emf).toHaveLength(4);
      expect(emf[0]).toMatchObject({ StateStoreUnavailable: 1, service: metricsServiceName });
      expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'TransferGate', Metrics: [{ Name: 'StateStoreUnavailable', Unit: 'Count' }] });
    } finally {
      logs.restore();
    }
  });
});

describe('on a real DynamoDB client', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let closed = 0;
  let endpoint: string;
  beforeAll(async () => {
    // Accepts connections and never answers: a table that hangs.
    server = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
      socket.on('close', () => (closed += 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    endpoint = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  test('a hanging endpoint costs a call 200 ms, and the request is cut', async () => {
    const client = localDynamoClient(endpoint);
    // A first call with a long budget loads and resolves what the SDK loads lazily, so that the
    // timed call below reaches the socket even on a loaded machine.
    await new ResilientStore({ primary: new DynamoDbStore({ client, tableName: 'gate-state' }), budgetMs: 1_500 }).readState('queue:warm');
    const socketsBefore = sockets.length;
    const store = new ResilientStore({ primary: new DynamoDbStore({ client, tableName: 'gate-state' }) });
    const started = Date.now();
    expect(await store.takeLease('queue:a', 'me', started, 1_000)).toBeDefined();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(195);
    // Uncut, the SDK would wait out its 2 s request timeout (twice); the margin is for a loaded machine.
    expect(elapsed).toBeLessThan(1_500);
    for (let waited = 0; closed < sockets.length && waited < 1_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sockets.length).toBeGreaterThan(socketsBefore);
    // The aborted SDK request closed its connection: nothing stays open waiting on the table.
    expect(closed).toBe(sockets.length);
    client.destroy();
  });

  test('without the wrapper, a per-call budget cuts each SDK call', async () => {
    const client = localDynamoClient(endpoint);
    const store = new DynamoDbStore({ client, tableName: 'gate-state', callBudgetMs: 100 });
    const started = Date.now();
    await expect(store.readState('queue:a')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(500);
    client.destroy();
  });
});

describe('limits and duplicate windows are confirmed by the table or refused (docs/operators/limits.md)', () => {
  const t0 = Date.parse('2026-11-22T10:00:00.000Z');

  test('a failing table refuses with StateUnavailableError and counts nothing in memory', async () => {
    const { store, failures } = setup('throw');
    await expect(store.takeCount('caller:acme#hour:1', 5, t0 + 1, t0)).rejects.toThrow(StateUnavailableError);
    await expect(store.markTransfer('all#+1', t0, t0 - 1, t0 + 1)).rejects.toThrow(StateUnavailableError);
    await expect(store.takeHoldSlot('acme', 1, { queueId: 'q', callerId: '+1', expiresAt: t0 + 1 }, t0)).rejects.toThrow(StateUnavailableError);
    expect(failures).toHaveLength(1);
    expect(await store.fallback.takeCount('caller:acme#hour:1', 1, t0 + 1, t0)).toBe(true);
    expect(await store.fallback.lastTransfer('all#+1')).toBeUndefined();
  });

  test('while the circuit is open they are refused without a table call', async () => {
    const { store, control } = setup('throw');
    await expect(store.takeCount('k', 5, t0 + 1, t0)).rejects.toThrow(StateUnavailableError);
    control.mode = 'ok';
    const calls = control.calls;
    await expect(store.lastTransfer('k')).rejects.toThrow(StateUnavailableError);
    expect(control.calls).toBe(calls);
  });

  test('a hanging table is cut at the budget and refused', async () => {
    jest.useFakeTimers();
    const { store } = setup('hang');
    const taking = store.takeCount('k', 5, t0 + 1, t0);
    jest.advanceTimersByTime(200);
    await expect(taking).rejects.toThrow(StateUnavailableError);
  });

  test('pings are counted in the container memory while the table fails, never refused for it', async () => {
    const { store } = setup('throw');
    expect(await store.countPing('pings:acme#minute:1', 2, t0 + 60_000, t0)).toBe(true);
    expect(await store.countPing('pings:acme#minute:1', 2, t0 + 60_000, t0)).toBe(true);
    expect(await store.countPing('pings:acme#minute:1', 2, t0 + 60_000, t0)).toBe(false);
  });

  test('a healthy table answers them', async () => {
    const { store, inner } = setup('ok');
    expect(await store.takeCount('k', 1, t0 + 1, t0)).toBe(true);
    expect(await inner.takeCount('k', 1, t0 + 1, t0)).toBe(false);
  });
});

describe('the warm-up (a cold connection is not an outage)', () => {
  /** A primary whose first call answers only after `coldMs`, as a client connecting for the first time. */
  function coldPrimary(coldMs: number) {
    const inner = new MemoryStore();
    let first = true;
    const primary = new Proxy(inner, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || !(property in MemoryStore.prototype)) return value;
        return async (...args: unknown[]) => {
          if (first) {
            first = false;
            await new Promise((resolve) => setTimeout(resolve, coldMs));
          }
          return Reflect.apply(value, target, args);
        };
      },
    });
    return { primary, inner };
  }

  test('without it, a cold first call past the budget trips the circuit and a hold is refused', async () => {
    const { primary } = coldPrimary(300);
    const failures: unknown[] = [];
    const store = new ResilientStore({ primary, budgetMs: 50, onUnavailable: (error) => failures.push(error) });
    await expect(store.holds('q', 0)).rejects.toBeInstanceOf(StateUnavailableError);
    expect(failures).toHaveLength(1);
  });

  test('with it, calls wait for the first connection, then keep their own budget', async () => {
    const { primary } = coldPrimary(300);
    const failures: unknown[] = [];
    const store = new ResilientStore({ primary, budgetMs: 50, warmUp: (table) => table.readState('warm-up'), onUnavailable: (error) => failures.push(error) });
    await expect(store.holds('q', 0)).resolves.toEqual([]);
    expect(failures).toEqual([]);
    expect(store.circuitOpen).toBe(false);
  });

  test('a warm-up that never ends holds calls back at most warmUpMs', async () => {
    const { primary } = controlledPrimary();
    const store = new ResilientStore({ primary, budgetMs: 50, warmUpMs: 100, warmUp: () => new Promise(() => undefined) });
    const started = Date.now();
    await expect(store.holds('q', 0)).resolves.toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });
});
