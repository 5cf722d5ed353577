import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultCallersSecret, parseGateConfig } from '../../../shared/config/gate-config';
import { loadGateConfigFile } from '../../../shared/config/load-config';
import { ConfigError } from '../../../shared/errors';
import { exampleConfig } from '../../support/gate-config';
import { aloware, gateOnlyInvalidExamples, guidA, guidB, invalidExamples, validExamples, withQueue } from './config-examples';

/** The ConfigError message for an input that must fail. */
function problems(input: unknown): string {
  try {
    parseGateConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

/** As read from a file: keys set to undefined in the table are absent. */
function asJson(input: unknown): unknown {
  return JSON.parse(JSON.stringify(input));
}

describe('the contract example config', () => {
  it('parses all five vendors', () => {
    const config = parseGateConfig(exampleConfig());
    expect(config.callersSecret).toBe('transfer-gate/callers');
    expect([...config.queues.keys()]).toEqual(['support', 'sales', 'kore-care', 'uk', 'closers']);
    expect([...config.queues.values()].map((queue) => queue.vendor)).toEqual(['aloware', 'calltools', 'koreai', 'vonage', 'aircall']);
  });

  it('keeps each vendor field, numeric ids as strings', () => {
    const { queues } = parseGateConfig(exampleConfig());
    expect(queues.get('support')).toMatchObject({ ringGroupId: '1' });
    expect(queues.get('sales')).toMatchObject({ silo: 'east-2', queueId: '5457', availableStatusId: '20561' });
    expect(queues.get('kore-care')).toMatchObject({ botId: 'st-123', queueIds: ['qu-1'] });
    expect(queues.get('uk')).toMatchObject({ region: 'emea', queueGuids: [guidA], liveness: 'live' });
    expect(queues.get('closers')).toMatchObject({ teamId: '42' });
  });

  it('resolves each queue policy from defaults and per-queue overrides', () => {
    const { queues } = parseGateConfig(exampleConfig());
    expect(queues.get('support')!.policy).toEqual({
      minAvailable: 1,
      cacheTtlMs: 3000,
      timeoutMs: 2500,
      onVendorError: 'deny',
      maxStaleMs: 0,
      holdMs: 0,
      onStoreError: 'deny',
    });
    expect(queues.get('sales')!.policy.minAvailable).toBe(2);
  });
});

describe('policy resolution', () => {
  it('uses the built-in defaults when nothing is given', () => {
    const config = parseGateConfig(withQueue(aloware));
    expect(config.callersSecret).toBe(defaultCallersSecret);
    expect(config.queues.get('support')!.policy).toEqual({
      minAvailable: 1,
      cacheTtlMs: 3000,
      timeoutMs: 2500,
      onVendorError: 'deny',
      maxStaleMs: 0,
      holdMs: 0,
      onStoreError: 'deny',
    });
  });

  it('lets `defaults` override the built-ins and a queue override `defaults`', () => {
    const config = parseGateConfig({
      callersSecret: 'other/callers',
      defaults: { cacheTtlMs: 1000, onVendorError: 'allow', maxStaleMs: 60_000 },
      queues: [aloware, { ...aloware, id: 'vip', cacheTtlMs: 0, minAvailable: 3, timeoutMs: 900 }],
    });
    expect(config.callersSecret).toBe('other/callers');
    expect(config.queues.get('support')!.policy).toEqual({
      minAvailable: 1,
      cacheTtlMs: 1000,
      timeoutMs: 2500,
      onVendorError: 'allow',
      maxStaleMs: 60_000,
      holdMs: 0,
      onStoreError: 'deny',
    });
    // 0 is a real override, not "unset".
    expect(config.queues.get('vip')!.policy).toEqual({
      minAvailable: 3,
      cacheTtlMs: 0,
      timeoutMs: 900,
      onVendorError: 'allow',
      maxStaleMs: 60_000,
      holdMs: 0,
      onStoreError: 'deny',
    });
  });

  it('resolves onStoreError: deny by default, allow from defaults, and a queue overriding it', () => {
    expect(parseGateConfig(withQueue(aloware)).queues.get('support')!.policy.onStoreError).toBe('deny');
    const config = parseGateConfig({ defaults: { onStoreError: 'allow' }, queues: [aloware, { ...aloware, id: 'strict', onStoreError: 'deny' }] });
    expect(config.queues.get('support')!.policy.onStoreError).toBe('allow');
    expect(config.queues.get('strict')!.policy.onStoreError).toBe('deny');
    expect(() => parseGateConfig(withQueue({ ...aloware, onStoreError: 'maybe' }))).toThrow(/onStoreError/);
  });

  it('accepts the $schema key editors use', () => {
    expect(() => parseGateConfig({ $schema: './gate.config.schema.json', ...withQueue(aloware) })).not.toThrow();
  });
});

describe('numeric vendor ids', () => {
  const aircallQueue = { id: 'q', vendor: 'aircall', secret: 's' };
  const calltoolsQueue = { id: 'q', vendor: 'calltools', secret: 's', silo: 'app', queueId: 1 };
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['aloware ringGroupId', { ...aloware, id: 'q', ringGroupId: 77 }, { ...aloware, id: 'q', ringGroupId: '77' }],
    ['calltools queueId', { ...calltoolsQueue, queueId: 5457 }, { ...calltoolsQueue, queueId: '5457' }],
    ['calltools availableStatusId', { ...calltoolsQueue, availableStatusId: 20561 }, { ...calltoolsQueue, availableStatusId: '20561' }],
    ['aircall teamId', { ...aircallQueue, teamId: 42 }, { ...aircallQueue, teamId: '42' }],
    ['aircall userIds', { ...aircallQueue, userIds: [1, '2'] }, { ...aircallQueue, userIds: ['1', 2] }],
  ])('%s: integer and string mean the same id', (_label, asNumber, asString) => {
    const fromNumber = parseGateConfig(withQueue(asNumber)).queues.get('q');
    const fromString = parseGateConfig(withQueue(asString)).queues.get('q');
    expect(fromNumber).toBeDefined();
    expect(fromNumber).toEqual(fromString);
  });

  it('maps integer and string forms to the same string', () => {
    const queue = parseGateConfig(withQueue({ id: 'q', vendor: 'aircall', secret: 's', userIds: [1, '2'] })).queues.get('q');
    expect(queue).toMatchObject({ userIds: ['1', '2'] });
  });

  it('reads leading zeros as the same id', () => {
    const queue = parseGateConfig(withQueue({ ...aloware, id: 'q', ringGroupId: '007' })).queues.get('q');
    expect(queue).toMatchObject({ ringGroupId: '7' });
  });
});

describe('the shared example configs (the JSON Schema test runs the same ones)', () => {
  it.each(validExamples)('accepts %s', (_label, input) => {
    expect(() => parseGateConfig(asJson(input))).not.toThrow();
  });

  it.each([...invalidExamples, ...gateOnlyInvalidExamples])('refuses %s, naming its JSON path', (_label, input, expected) => {
    expect(problems(asJson(input))).toContain(`  - ${expected}`);
  });
});

describe('each kind of mistake names its JSON path', () => {
  it('reports a duplicate id at the later queue', () => {
    expect(problems({ queues: [aloware, { ...aloware, ringGroupId: 2 }] })).toContain('queues[1].id: duplicate queue id "support"');
  });

  it.each(['http://127.0.0.1:4010', 'http://localhost:4010/aloware', 'http://[::1]:4010', 'https://app.aloware.com/'])('accepts the base URL %s', (baseUrl) => {
    const queue = parseGateConfig(withQueue({ ...aloware, baseUrl })).queues.get('support');
    expect(queue).toMatchObject({ baseUrl: baseUrl.replace(/\/$/, '') });
  });

  it('accepts http:// on loopback for a vonage authUrl as well', () => {
    const config = withQueue({
      id: 'uk',
      vendor: 'vonage',
      secret: 's',
      baseUrl: 'http://127.0.0.1:4020',
      authUrl: 'http://localhost:4020',
      groupGuids: [guidA],
    });
    expect(parseGateConfig(config).queues.get('uk')).toMatchObject({ baseUrl: 'http://127.0.0.1:4020', authUrl: 'http://localhost:4020' });
  });

  it('reports several mistakes at once, each with its path', () => {
    const message = problems({
      extra: true,
      defaults: { onVendorError: 'maybe' },
      queues: [
        { ...aloware, id: 'Bad Id' },
        { ...aloware, id: 'two', ringGroupId: 'abc', timeoutMs: 5 },
        { id: 'c', vendor: 'calltools', secret: 's', queueId: 1 },
        { id: 'uk', vendor: 'vonage', secret: 's', region: 'emea', queueGuids: [guidA], groupGuids: [guidB] },
      ],
    });
    for (const expected of [
      '(root): Unrecognized key: "extra"',
      'defaults.onVendorError:',
      'queues[0].id:',
      'queues[1].ringGroupId:',
      'queues[1].timeoutMs:',
      'queues[2]: give exactly one of silo, baseUrl',
      'queues[3].groupGuids:',
    ]) {
      expect(message).toContain(expected);
    }
    expect(message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(7);
  });

  it('reports a duplicate id together with problems in other queues', () => {
    const message = problems({ queues: [aloware, aloware, { ...aloware, id: 'x', timeoutMs: 1 }] });
    expect(message).toContain('queues[1].id: duplicate');
    expect(message).toContain('queues[2].timeoutMs:');
  });

  it('reports a duplicate id even when the config also has an unknown key and an invalid queue', () => {
    const message = problems({ extra: true, queues: [aloware, { ...aloware, ringGroupId: 'x' }, { vendor: 'nope' }] });
    expect(message).toContain('queues[1].id: duplicate queue id "support"');
    expect(message).toContain('queues[1].ringGroupId:');
    expect(message).toContain('queues[2].vendor:');
    expect(message).toContain('(root): Unrecognized key: "extra"');
  });

  it('names the source in the message', () => {
    expect(() => parseGateConfig({ queues: [] }, 'custom.json')).toThrow(/^custom\.json is invalid:/);
  });
});

describe('loadGateConfigFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gate-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and validates a file', () => {
    const file = path.join(dir, 'good.json');
    writeFileSync(file, JSON.stringify(exampleConfig()));
    expect(loadGateConfigFile(file).queues.size).toBe(5);
  });

  it('fails with a ConfigError naming the file and the error code when the file is missing', () => {
    const file = path.join(dir, 'missing.json');
    expect(() => loadGateConfigFile(file)).toThrow(ConfigError);
    expect(() => loadGateConfigFile(file)).toThrow(`cannot read the gate config ${file}: ENOENT`);
  });

  it('fails with a ConfigError when the file is not JSON', () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ "queues": [ }');
    expect(() => loadGateConfigFile(file)).toThrow(ConfigError);
    expect(() => loadGateConfigFile(file)).toThrow(`${file} is not valid JSON`);
  });

  it('names the file in validation problems', () => {
    const file = path.join(dir, 'invalid.json');
    writeFileSync(file, JSON.stringify({ queues: [{ ...aloware, timeoutMs: 1 }] }));
    expect(() => loadGateConfigFile(file)).toThrow(`${file} is invalid:\n  - queues[0].timeoutMs:`);
  });
});

describe('routes and destinations', () => {
  const closers = { id: 'closers', vendor: 'aircall', secret: 's', teamId: 1 };
  it('resolves routes with their defaults, and payout from defaults unless a queue names its own', () => {
    const config = parseGateConfig({
      defaults: { payout: { amount: 20, currency: 'USD' } },
      queues: [
        { ...aloware, transferTo: '+15551234567' },
        { ...closers, payout: { amount: 35, currency: 'USD', minDurationSeconds: 90 } },
      ],
      routes: {
        both: { queues: ['support', 'closers'] },
        spread: { queues: ['closers', 'support'], pick: 'weighted', weights: { closers: 1, support: 2 }, deadlineMs: 900 },
      },
    });
    expect(config.routes.get('both')).toEqual({ id: 'both', queues: ['support', 'closers'], pick: 'first', deadlineMs: 2000 });
    expect(config.routes.get('spread')).toMatchObject({ pick: 'weighted', weights: { closers: 1, support: 2 }, deadlineMs: 900 });
    expect(config.queues.get('support')).toMatchObject({ transferTo: '+15551234567', policy: { payout: { amount: 20, currency: 'USD' } } });
    expect(config.queues.get('closers')!.policy.payout).toEqual({ amount: 35, currency: 'USD', minDurationSeconds: 90 });
  });

  it('has no routes and no payout when none are configured', () => {
    const config = parseGateConfig(withQueue(aloware));
    expect(config.routes.size).toBe(0);
    expect(config.queues.get('support')!.policy.payout).toBeUndefined();
  });
});

describe('limits, duplicates and geography (docs/operators/limits.md)', () => {
  const config = parseGateConfig({
    defaults: { limits: { transfersPerHour: 10 }, duplicates: { windowHours: 24 }, geo: { states: ['TX'] } },
    queues: [
      { ...aloware, id: 'held', holdMs: 30_000 },
      { ...aloware, id: 'open' },
      {
        ...aloware,
        id: 'own',
        holdMs: 5_000,
        limits: { transfersPerDay: 3 },
        duplicates: { windowHours: 1, scope: 'all' },
        geo: { states: ['AZ'], onUnknown: 'allow' },
      },
    ],
  });
  const policy = (id: string) => config.queues.get(id)?.policy;

  it('gives the defaults to queues with holds, with duplicate scope queue and onUnknown deny unless set', () => {
    expect(policy('held')).toMatchObject({
      limits: { transfersPerHour: 10 },
      duplicates: { windowHours: 24, scope: 'queue' },
      geo: { states: ['TX'], onUnknown: 'deny' },
    });
  });

  it('leaves limits and duplicates of defaults off a queue without holds, but not geography', () => {
    expect(policy('open')).not.toHaveProperty('limits');
    expect(policy('open')).not.toHaveProperty('duplicates');
    expect(policy('open')?.geo).toEqual({ states: ['TX'], onUnknown: 'deny' });
  });

  it("takes a queue's own fields whole over the defaults'", () => {
    expect(policy('own')).toMatchObject({
      limits: { transfersPerDay: 3 },
      duplicates: { windowHours: 1, scope: 'all' },
      geo: { states: ['AZ'], onUnknown: 'allow' },
    });
    expect(policy('own')?.limits).not.toHaveProperty('transfersPerHour');
  });

  it('reports limits on a queue without holds together with the other problems', () => {
    const message = problems({
      queues: [
        { ...aloware, limits: { transfersPerHour: 5 } },
        { ...aloware, id: 'x', ringGroupId: 'abc' },
      ],
    });
    expect(message).toContain('queues[0].limits: limits count transfers, and a transfer is a hold placed');
    expect(message).toContain('queues[1].ringGroupId:');
  });
});
