/**
 * One Node.js major everywhere (docs/contributors/tooling.md): the Lambda runtime the functions
 * run on, the esbuild target of their bundles, `.nvmrc` (what .ci/run tests on) and the Node.js
 * types. Bumping one without the others fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleTarget } from '../../infra/bundle-aliases';
import { gateRuntime } from '../../infra/constructs/gate-function';

const root = path.join(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const major = (text: string) => Number(/(\d+)/.exec(text)?.[1]);

test('the Lambda runtime, the bundle target, .nvmrc and @types/node name the same Node.js major', () => {
  const runtime = major(gateRuntime.name);
  expect(gateRuntime.name).toBe(`nodejs${runtime}.x`);
  expect(bundleTarget).toBe(`node${runtime}`);
  expect(major(readFileSync(path.join(root, '.nvmrc'), 'utf8'))).toBe(runtime);
  expect(major(packageJson.devDependencies['@types/node'])).toBe(runtime);
});

test('engines admits the runtime major and says the oldest Node.js that runs the tests', () => {
  expect(packageJson.engines.node).toBe('>=22');
  expect(major(gateRuntime.name)).toBeGreaterThanOrEqual(major(packageJson.engines.node));
});
