/**
 * The pure parts of `npm start` and `npm run check` (docs/operators/running-locally.md): which
 * files they load, the demo config moved to its simulators' free ports, and the vendor secrets a
 * secrets file must hold before a gate starts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chooseConfigFile, chooseSecretsFile, demoConfigFile, demoSecretsFile } from '../../../local/config-files';
import { withMovedPorts } from '../../../local/simulator-ports';
import { requireVendorSecrets } from '../../../local/vendor-secrets';
import { parseGateConfig } from '../../../shared/config/gate-config';
import { ConfigError } from '../../../shared/errors';

describe('which config and secrets (the same for npm start and npm run check)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'transfer-gate-root-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the demo when the project folder has no gate.config.json', () => {
    expect(chooseConfigFile(undefined, {}, root)).toMatchObject({ file: demoConfigFile, demo: true });
    expect(chooseSecretsFile(undefined, {}, true)).toMatchObject({ file: demoSecretsFile });
    expect(chooseSecretsFile(undefined, {}, false)).toBeUndefined();
  });

  it('gate.config.json in the project folder when present; GATE_CONFIG_FILE before it, --config first', () => {
    writeFileSync(path.join(root, 'gate.config.json'), '{}');
    expect(chooseConfigFile(undefined, {}, root)).toMatchObject({
      file: path.join(root, 'gate.config.json'),
      demo: false,
      from: 'gate.config.json in the project folder',
    });
    expect(chooseConfigFile(undefined, { GATE_CONFIG_FILE: 'env.json' }, root)).toMatchObject({ file: 'env.json', from: 'GATE_CONFIG_FILE' });
    expect(chooseConfigFile('flag.json', { GATE_CONFIG_FILE: 'env.json' }, root)).toMatchObject({ file: 'flag.json', from: '--config' });
    expect(chooseConfigFile(path.relative(process.cwd(), demoConfigFile), {}, root).demo).toBe(true);
    expect(chooseSecretsFile('flag.json', { GATE_SECRETS_FILE: 'env.json' }, true)).toEqual({ file: 'flag.json', from: '--secrets' });
    expect(chooseSecretsFile(undefined, { GATE_SECRETS_FILE: 'env.json' }, false)).toEqual({ file: 'env.json', from: 'GATE_SECRETS_FILE' });
  });
});

describe("the demo config moved to its simulators' ports", () => {
  const config = {
    $schema: '../../gate.config.schema.json',
    queues: [
      { id: 'a', vendor: 'aloware', baseUrl: 'http://127.0.0.1:3101', ringGroupId: 1 },
      { id: 'v', vendor: 'vonage', baseUrl: 'http://127.0.0.1:3103', authUrl: 'http://localhost:3103/', queueGuids: ['x'] },
      { id: 'far', vendor: 'aloware', baseUrl: 'https://api.aloware.example:3101' },
      { id: 'unmoved', vendor: 'aloware', baseUrl: 'http://127.0.0.1:3999' },
    ],
  };

  it('moves every loopback URL field whose port moved, keeping origins origins, and nothing else', () => {
    const moved = withMovedPorts(
      config,
      new Map([
        [3101, 40001],
        [3103, 40003],
      ]),
    ) as typeof config;
    expect(moved.queues).toEqual([
      { id: 'a', vendor: 'aloware', baseUrl: 'http://127.0.0.1:40001', ringGroupId: 1 },
      { id: 'v', vendor: 'vonage', baseUrl: 'http://127.0.0.1:40003', authUrl: 'http://localhost:40003/', queueGuids: ['x'] },
      { id: 'far', vendor: 'aloware', baseUrl: 'https://api.aloware.example:3101' },
      { id: 'unmoved', vendor: 'aloware', baseUrl: 'http://127.0.0.1:3999' },
    ]);
    // The copy lives elsewhere: a relative $schema would point nowhere.
    expect(moved).not.toHaveProperty('$schema');
    expect(config.queues[0]!.baseUrl).toBe('http://127.0.0.1:3101');
  });
});

describe('every vendor secret the config names, before the gate starts', () => {
  const config = parseGateConfig({
    queues: [
      { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
      { id: 'sales', vendor: 'calltools', secret: 'tg/calltools', queueId: '5457', baseUrl: 'https://calltools.example' },
      {
        id: 'uk',
        vendor: 'vonage',
        secret: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:tg/vonage',
        region: 'emea',
        queueGuids: ['457857dc-19eb-4eb9-b562-c90ca37de447'],
      },
    ],
  });
  const complete = { 'tg/aloware': { apiToken: 't' }, 'tg/calltools': '{"apiKey":"k"}', 'tg/vonage': { clientId: 'c', clientSecret: 's' } };

  it('passes a file holding each, by name or by the name inside an ARN, as an object or JSON text', () => {
    expect(() => requireVendorSecrets(config, complete, 'secrets.json')).not.toThrow();
  });

  it('refuses a missing or misshapen secret, naming the secret, the queue and the fields, never a value', () => {
    const { 'tg/calltools': _missing, ...partial } = complete;
    const call = () => requireVendorSecrets(config, { ...partial, 'tg/aloware': { apiTokn: 'super-secret-value' } }, 'my-secrets.json');
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(/my-secrets\.json does not hold every vendor secret/);
    expect(call).toThrow(/no secret "tg\/calltools" \(queue "sales", calltools\)/);
    expect(call).toThrow(/secret "tg\/aloware" \(queue "support", aloware\) lacks or mistypes: apiToken/);
    expect(call).not.toThrow(/super-secret-value/);
  });
});
