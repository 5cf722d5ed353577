import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { hashKey } from '../../../shared/callers';
import { loadGateConfigFile } from '../../../shared/config/load-config';
import { demoCallers } from '../../../local/demo/demo-callers';
import { readSecretsFile } from '../../../local/server';
import { vendorNames } from '../../../shared/vendors/registry';

const projectRoot = path.join(__dirname, '..', '..', '..');
const demoDir = path.join(projectRoot, 'local', 'demo');

describe('the npm start demo', () => {
  const config = loadGateConfigFile(path.join(demoDir, 'gate.config.json'));
  const secrets = readSecretsFile(path.join(demoDir, 'secrets.json'), config);

  it('has one valid queue per vendor, each on a loopback simulator', () => {
    const queues = [...config.queues.values()];
    expect(queues.map((queue) => queue.vendor).sort()).toEqual([...vendorNames].sort());
    // Amazon Connect's SDK client is pointed at its simulator by `endpoint`.
    for (const queue of queues) expect('baseUrl' in queue ? queue.baseUrl : 'endpoint' in queue && queue.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("has a secret for every queue, and the callers secret stores only the demo keys' hashes", () => {
    // An Amazon Connect queue on the function's own role names no secret.
    for (const queue of config.queues.values()) if (queue.secret !== undefined) expect(secrets).toHaveProperty([queue.secret]);
    const callersText = JSON.stringify(secrets[config.callersSecret]);
    for (const caller of demoCallers) {
      expect(callersText).toContain(hashKey(caller.key));
      expect(callersText).not.toContain(caller.key);
    }
  });

  it('points its $schema at the published JSON Schema, where it is and where the README copies it', () => {
    const raw = JSON.parse(readFileSync(path.join(demoDir, 'gate.config.json'), 'utf8'));
    const published = path.join(projectRoot, 'gate.config.schema.json');
    // Where it is (a symlink beside it), and after `cp local/demo/gate.config.json gate.config.json` (docs/operators/deploy.md).
    for (const dir of [demoDir, projectRoot]) {
      const target = path.resolve(dir, raw.$schema);
      expect(existsSync(target)).toBe(true);
      expect(realpathSync(target)).toBe(realpathSync(published));
    }
  });

  it('is valid against the JSON Schema its $schema names', () => {
    const raw = JSON.parse(readFileSync(path.join(demoDir, 'gate.config.json'), 'utf8'));
    const ajv = new Ajv2020({ strict: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(path.resolve(demoDir, raw.$schema), 'utf8')));
    expect(validate(raw) ? [] : validate.errors).toEqual([]);
  });
});
