import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultCallersSecret, parseGateConfig } from '../../../shared/config/gate-config';
import { loadGateConfigFile } from '../../../shared/config/load-config';
import { ConfigError } from '../../../shared/errors';
import { exampleConfig } from '../../support/gate-config';

const aloware = { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 };
const guidA = '457857dc-19eb-4eb9-b562-c90ca37de447';
const guidB = '0f8fad5b-d9cb-469f-a165-70867728950e';

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

function withQueue(queue: Record<string, unknown>) {
  return { queues: [queue] };
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
    expect(queues.get('support')!.policy).toEqual({ minAvailable: 1, cacheTtlMs: 3000, timeoutMs: 2500, onVendorError: 'deny', maxStaleMs: 0 });
    expect(queues.get('sales')!.policy.minAvailable).toBe(2);
  });
});

describe('policy resolution', () => {
  it('uses the built-in defaults when nothing is given', () => {
    const config = parseGateConfig(withQueue(aloware));
    expect(config.callersSecret).toBe(defaultCallersSecret);
    expect(config.queues.get('support')!.policy).toEqual({ minAvailable: 1, cacheTtlMs: 3000, timeoutMs: 2500, onVendorError: 'deny', maxStaleMs: 0 });
  });

  it('lets `defaults` override the built-ins and a queue override `defaults`', () => {
    const config = parseGateConfig({
      callersSecret: 'other/callers',
      defaults: { cacheTtlMs: 1000, onVendorError: 'allow', maxStaleMs: 60_000 },
      queues: [aloware, { ...aloware, id: 'vip', cacheTtlMs: 0, minAvailable: 3, timeoutMs: 900 }],
    });
    expect(config.callersSecret).toBe('other/callers');
    expect(config.queues.get('support')!.policy).toEqual({ minAvailable: 1, cacheTtlMs: 1000, timeoutMs: 2500, onVendorError: 'allow', maxStaleMs: 60_000 });
    // 0 is a real override, not "unset".
    expect(config.queues.get('vip')!.policy).toEqual({ minAvailable: 3, cacheTtlMs: 0, timeoutMs: 900, onVendorError: 'allow', maxStaleMs: 60_000 });
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

  it.each([[-1], [1.5], ['12a'], [''], [' 7']])('rejects %p', (ringGroupId) => {
    expect(problems(withQueue({ ...aloware, ringGroupId }))).toContain('queues[0].ringGroupId:');
  });
});

describe('each kind of mistake names its JSON path', () => {
  it.each<[string, unknown, string]>([
    ['unknown root key', { ...withQueue(aloware), queus: [] }, '(root): Unrecognized key: "queus"'],
    ['unknown defaults key', { defaults: { cacheTtl: 1 }, ...withQueue(aloware) }, 'defaults: Unrecognized key: "cacheTtl"'],
    ['unknown queue key', withQueue({ ...aloware, ringGroup: 1 }), 'queues[0]: Unrecognized key: "ringGroup"'],
    ['upper-case queue id', withQueue({ ...aloware, id: 'Support' }), 'queues[0].id:'],
    ['queue id with a slash', withQueue({ ...aloware, id: 'a/b' }), 'queues[0].id:'],
    ['queue id too long', withQueue({ ...aloware, id: 'a'.repeat(65) }), 'queues[0].id:'],
    ['queue id starting with a dash', withQueue({ ...aloware, id: '-a' }), 'queues[0].id:'],
    ['unknown vendor', withQueue({ ...aloware, vendor: 'genesys' }), 'queues[0].vendor:'],
    ['missing vendor field', withQueue({ id: 'q', vendor: 'aloware', secret: 's' }), 'queues[0].ringGroupId:'],
    ['bad secret name', withQueue({ ...aloware, secret: 'has spaces' }), 'queues[0].secret:'],
    ['bad callersSecret', { callersSecret: '', ...withQueue(aloware) }, 'callersSecret:'],
    ['no queues', { queues: [] }, 'queues: name at least one queue'],
    ['not an object', null, '(root):'],
    ['http:// on a public host', withQueue({ ...aloware, baseUrl: 'http://app.aloware.com' }), 'queues[0].baseUrl: must use https://'],
    ['http:// on a host that only looks local', withQueue({ ...aloware, baseUrl: 'http://127.0.0.1.example.com' }), 'queues[0].baseUrl: must use https://'],
    ['ftp:// URL', withQueue({ ...aloware, baseUrl: 'ftp://127.0.0.1' }), 'queues[0].baseUrl: must use https://'],
    ['relative URL', withQueue({ ...aloware, baseUrl: '/api' }), 'queues[0].baseUrl: must be an absolute URL'],
    ['URL with credentials', withQueue({ ...aloware, baseUrl: 'https://user:pass@app.aloware.com' }), 'queues[0].baseUrl: must not contain credentials'],
    ['URL with a query', withQueue({ ...aloware, baseUrl: 'https://app.aloware.com/?api_token=x' }), 'queues[0].baseUrl: must not contain a query'],
    ['vonage queueGuids and groupGuids', withQueue({ id: 'uk', vendor: 'vonage', secret: 's', region: 'emea', queueGuids: [guidA], groupGuids: [guidB] }), 'queues[0].groupGuids: queueGuids and groupGuids must not be used together'],
    ['vonage without region nor URLs', withQueue({ id: 'uk', vendor: 'vonage', secret: 's', queueGuids: [guidA] }), 'queues[0].region: give region, or both baseUrl and authUrl'],
    ['vonage with baseUrl but no authUrl', withQueue({ id: 'uk', vendor: 'vonage', secret: 's', baseUrl: 'https://emea.api.cc.vonage.com', queueGuids: [guidA] }), 'queues[0].region:'],
    ['vonage unknown region', withQueue({ id: 'uk', vendor: 'vonage', secret: 's', region: 'mars', queueGuids: [guidA] }), 'queues[0].region:'],
    ['vonage non-GUID', withQueue({ id: 'uk', vendor: 'vonage', secret: 's', region: 'emea', queueGuids: ['not-a-guid'] }), 'queues[0].queueGuids[0]: must be a GUID'],
    ['aircall teamId and userIds', withQueue({ id: 'a', vendor: 'aircall', secret: 's', teamId: 1, userIds: [2] }), 'queues[0].userIds: give exactly one of teamId, userIds'],
    ['aircall neither teamId nor userIds', withQueue({ id: 'a', vendor: 'aircall', secret: 's' }), 'queues[0]: give exactly one of teamId, userIds'],
    ['calltools silo and baseUrl', withQueue({ id: 'c', vendor: 'calltools', secret: 's', silo: 'east-2', baseUrl: 'https://east-2.calltools.io', queueId: 1 }), 'queues[0].baseUrl: give exactly one of silo, baseUrl'],
    ['calltools neither silo nor baseUrl', withQueue({ id: 'c', vendor: 'calltools', secret: 's', queueId: 1 }), 'queues[0]: give exactly one of silo, baseUrl'],
    ['calltools silo that is not a subdomain', withQueue({ id: 'c', vendor: 'calltools', secret: 's', silo: 'east.2/x', queueId: 1 }), 'queues[0].silo:'],
    ['koreai bot id with a slash', withQueue({ id: 'k', vendor: 'koreai', secret: 's', botId: '../st-1' }), 'queues[0].botId:'],
    ['timeoutMs too small', withQueue({ ...aloware, timeoutMs: 10 }), 'queues[0].timeoutMs:'],
    ['timeoutMs too large', { defaults: { timeoutMs: 60_000 }, ...withQueue(aloware) }, 'defaults.timeoutMs:'],
    ['timeoutMs as a string', withQueue({ ...aloware, timeoutMs: '2500' }), 'queues[0].timeoutMs:'],
    ['minAvailable 0', withQueue({ ...aloware, minAvailable: 0 }), 'queues[0].minAvailable:'],
    ['fractional cacheTtlMs', withQueue({ ...aloware, cacheTtlMs: 1.5 }), 'queues[0].cacheTtlMs:'],
    ['negative maxStaleMs', { defaults: { maxStaleMs: -1 }, ...withQueue(aloware) }, 'defaults.maxStaleMs:'],
    ['unknown onVendorError', withQueue({ ...aloware, onVendorError: 'retry' }), 'queues[0].onVendorError:'],
  ])('%s', (_label, input, expected) => {
    expect(problems(input)).toContain(expected);
  });

  it('reports a duplicate id at the later queue', () => {
    expect(problems({ queues: [aloware, { ...aloware, ringGroupId: 2 }] })).toContain('queues[1].id: duplicate queue id "support"');
  });

  it.each(['http://127.0.0.1:4010', 'http://localhost:4010/aloware', 'http://[::1]:4010', 'https://app.aloware.com/'])(
    'accepts the base URL %s',
    (baseUrl) => {
      const queue = parseGateConfig(withQueue({ ...aloware, baseUrl })).queues.get('support');
      expect(queue).toMatchObject({ baseUrl: baseUrl.replace(/\/$/, '') });
    },
  );

  it('accepts http:// on loopback for a vonage authUrl as well', () => {
    const config = withQueue({ id: 'uk', vendor: 'vonage', secret: 's', baseUrl: 'http://127.0.0.1:4020', authUrl: 'http://localhost:4020', groupGuids: [guidA] });
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
