/** Issue 7 point 11: a missing or invalid config is read once, and health answers without it. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHttpHandler } from '../../functions/http/handler';
import { ConfigError } from '../../shared/errors';
import { createRuntime, defaultRuntime, resetDefaultRuntime, stateStoreFromEnv } from '../../shared/runtime';
import { MemoryStore } from '../../shared/state/memory-store';
import { availabilityEvent, healthEvent, lambdaContext } from '../support/api-gateway-event';
import { fakeSecretSource } from '../support/fake-secrets';
import { exampleConfig } from '../support/gate-config';
import { parseGateConfig } from '../../shared/config/gate-config';

const validConfig = { queues: [{ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }] };
let configFile: string;
const savedConfigFile = process.env.GATE_CONFIG_FILE;

beforeEach(() => {
  configFile = path.join(mkdtempSync(path.join(tmpdir(), 'gate-runtime-')), 'gate.config.json');
  process.env.GATE_CONFIG_FILE = configFile;
  resetDefaultRuntime();
});
afterEach(() => {
  if (savedConfigFile === undefined) delete process.env.GATE_CONFIG_FILE;
  else process.env.GATE_CONFIG_FILE = savedConfigFile;
  resetDefaultRuntime();
});

describe('defaultRuntime with a missing or invalid config', () => {
  it('remembers the failure: later calls get the same ConfigError without reading the file again', () => {
    let first: unknown;
    try {
      defaultRuntime();
    } catch (error) {
      first = error;
    }
    expect(first).toBeInstanceOf(ConfigError);
    // Were the file read again, this valid config would now build a runtime.
    writeFileSync(configFile, JSON.stringify(validConfig));
    expect(() => defaultRuntime()).toThrow(first as Error);
  });

  it('an invalid config too', () => {
    writeFileSync(configFile, JSON.stringify({ queues: [] }));
    expect(() => defaultRuntime()).toThrow(ConfigError);
    writeFileSync(configFile, JSON.stringify(validConfig));
    expect(() => defaultRuntime()).toThrow(/invalid/);
  });

  it('a good config builds the runtime once, on a memory store without GATE_STATE_TABLE', () => {
    writeFileSync(configFile, JSON.stringify(validConfig));
    const runtime = defaultRuntime();
    expect(defaultRuntime()).toBe(runtime);
    expect(runtime.store.kind).toBe('memory');
  });
});

describe('GET /v1/health', () => {
  it('answers 200 without the config (the deployed handler, config missing)', async () => {
    const handler = createHttpHandler();
    const health = await handler(healthEvent(), lambdaContext());
    expect(health.statusCode).toBe(200);
    const availability = await handler(availabilityEvent('support', { headers: { 'x-api-key': 'k' } }), lambdaContext());
    expect(availability.statusCode).toBe(500);
  });
});

describe('createRuntime', () => {
  it('uses the store it is given', () => {
    const store = new MemoryStore();
    const runtime = createRuntime({ config: parseGateConfig(exampleConfig()), secretSource: fakeSecretSource({}), store });
    expect(runtime.store).toBe(store);
  });

  it('without GATE_STATE_TABLE the state lives in memory', () => {
    expect(stateStoreFromEnv({}).kind).toBe('memory');
  });
});

describe('the callers secret, as the runtime loads it (README "Callers")', () => {
  const caller = { name: 'ivr', keySha256: 'a'.repeat(64) };
  const runtimeWith = (callers: unknown) =>
    createRuntime({ config: parseGateConfig(validConfig), secretSource: fakeSecretSource({ 'transfer-gate/callers': { callers } }) });

  it("is checked against the config's queue ids: a known id and * pass", async () => {
    const callers = await runtimeWith([{ ...caller, queues: ['support', '*'] }]).callers();
    expect([...callers[0]!.queues]).toEqual(['support', '*']);
  });

  it('refuses a queue id the config does not have, at its path', async () => {
    await expect(runtimeWith([{ ...caller, queues: ['suport'] }]).callers()).rejects.toThrow(
      'secret "transfer-gate/callers": callers.0.queues.0: unknown queue "suport" (known: "support")',
    );
  });
});
