/**
 * Every local CLI as a newcomer runs it (docs/operators/running-locally.md, "Files and flags"):
 * `--help` prints the usage and exits 0; an unknown flag is an error that shows the usage; never a
 * stack trace. And two mistakes that used to pass silently or confusingly: `create-caller`
 * without `--queues`, and `npm run check` against Secrets Manager without an AWS region.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const clis = ['start', 'check-cli', 'create-caller', 'write-config-schema', 'write-openapi'];
const dir = mkdtempSync(path.join(tmpdir(), 'transfer-gate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cli: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `local/${cli}.ts`, ...args],
      { cwd: root, env: { ...env, POWERTOOLS_LOG_LEVEL: 'ERROR' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

// The flag handling itself is unit-tested (test/unit/local/cli-args.test.ts); here, that every CLI uses it.
it('--help prints the usage and exits 0 on every CLI', async () => {
  const runs = await Promise.all(clis.map(async (cli) => ({ cli, help: await run(cli, ['--help']) })));
  for (const { cli, help } of runs) {
    expect({ cli, code: help.code, usage: help.stdout.startsWith('usage: npm ') }).toEqual({ cli, code: 0, usage: true });
    noStackTrace(help.stdout + help.stderr);
  }
}, 30_000);

it('an unknown flag shows what is wrong and the usage, and exits 1', async () => {
  const unknown = await run('check-cli', ['--all', '--frobnicate']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain("Unknown option '--frobnicate'");
  expect(unknown.stderr).toContain('usage: npm run check');
  noStackTrace(unknown.stderr);
}, 20_000);

it('create-caller requires --queues (no silent "*"), and takes "*" when asked', async () => {
  const [missing, everything] = await Promise.all([run('create-caller', ['--name', 'acme']), run('create-caller', ['--name', 'acme', '--queues', '*'])]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/--queues is required/);
  expect(missing.stdout).toBe('');
  expect(everything.code).toBe(0);
  expect(everything.stdout).toContain('"queues":["*"]');
}, 20_000);

it('npm run check without an AWS region says so, instead of failing every queue as auth', async () => {
  const configFile = path.join(dir, 'gate.config.json');
  writeFileSync(configFile, JSON.stringify({ queues: [{ id: 'q', vendor: 'aloware', secret: 'tg/q', ringGroupId: 1, baseUrl: 'http://127.0.0.1:9' }] }));
  const { AWS_REGION: _region, AWS_DEFAULT_REGION: _default, AWS_PROFILE: _profile, ...env } = process.env;
  const result = await run('check-cli', ['--all', '--config', configFile], {
    ...env,
    AWS_CONFIG_FILE: path.join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/no AWS region: .*Set AWS_REGION .* --secrets FILE/);
  expect(result.stdout).toBe('');
  noStackTrace(result.stderr);
}, 20_000);
