import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hashKey } from '../../../shared/callers';
import { loadGateConfigFile } from '../../../shared/config/load-config';
import { demoCallers } from '../../../local/demo/demo-callers';
import { readSecretsFile } from '../../../local/server';
import { vendorNames } from '../../../shared/vendors/registry';

const demoDir = path.join(__dirname, '..', '..', '..', 'local', 'demo');

describe('the npm start demo', () => {
  const config = loadGateConfigFile(path.join(demoDir, 'gate.config.json'));
  const secrets = readSecretsFile(path.join(demoDir, 'secrets.json'), config);

  it('has one valid queue per vendor, each on a loopback simulator', () => {
    const queues = [...config.queues.values()];
    expect(queues.map((queue) => queue.vendor).sort()).toEqual([...vendorNames].sort());
    // Amazon Connect's SDK client is pointed at its simulator by `endpoint`.
    for (const queue of queues) expect('baseUrl' in queue ? queue.baseUrl : 'endpoint' in queue && queue.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('has a secret for every queue, and the callers secret stores only the demo keys\' hashes', () => {
    // An Amazon Connect queue on the function's own role names no secret.
    for (const queue of config.queues.values()) if (queue.secret !== undefined) expect(secrets).toHaveProperty([queue.secret]);
    const callersText = JSON.stringify(secrets[config.callersSecret]);
    for (const caller of demoCallers) {
      expect(callersText).toContain(hashKey(caller.key));
      expect(callersText).not.toContain(caller.key);
    }
  });

  it('points its $schema at the published JSON Schema', () => {
    const raw = JSON.parse(readFileSync(path.join(demoDir, 'gate.config.json'), 'utf8'));
    expect(path.resolve(demoDir, raw.$schema)).toBe(path.resolve(demoDir, '..', '..', 'gate.config.schema.json'));
  });
});
