/**
 * The README's deploy steps 3 and 4 keep secrets out of shell history: no secret value or JSON
 * literal on a command line, every file they write under the git-ignored secrets/ folder with a
 * umask that makes it private, and the helper they give builds valid JSON from what is typed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** The ```sh blocks of the README section whose heading starts with `heading`. */
function shellBlocks(heading: string): string[] {
  const start = readme.indexOf(`\n### ${heading}`);
  expect(start).toBeGreaterThan(0);
  const section = readme.slice(start + 1, readme.indexOf('\n### ', start + 1));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

const steps = ['3. Create each vendor secret', '4. Add callers'];

test.each(steps)('step "%s" puts no secret value or JSON on a command line', (step) => {
  const commands = shellBlocks(step).join('\n').split('\n').map((line) => line.replace(/#.*$/, ''));
  for (const line of commands) {
    expect(line).not.toMatch(/echo\s+['"]?\{/);
    if (line.includes('--secret-string')) expect(line).toMatch(/--secret-string file:\/\/secrets\//);
    expect(line).not.toMatch(/"(apiToken|apiKey|clientSecret|apiId|clientId|accountId|keySha256)"\s*:/);
  }
});

test.each(steps)('step "%s" writes only private files in secrets/, which git ignores', (step) => {
  const script = shellBlocks(step).join('\n');
  expect(script).toMatch(/^umask 077/m);
  const written = [...script.matchAll(/(?:>\s*|put_secret\s+|file:\/\/)([\w./-]+\.json)/g)].map((match) => match[1]!);
  expect(written.length).toBeGreaterThan(0);
  for (const file of written) {
    expect(file.startsWith('secrets/')).toBe(true);
    expect(execFileSync('git', ['check-ignore', file], { cwd: root, encoding: 'utf8' }).trim()).toBe(file);
  }
  expect(script).toMatch(/^rm -r secrets$/m);
});

test("step 3's helper writes the typed values as JSON (quotes and backslashes escaped) to a file only the user can read", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'transfer-gate-secrets-'));
  try {
    const helper = shellBlocks(steps[0]!)[0]!;
    // No terminal here: a stand-in stty that does nothing.
    writeFileSync(path.join(dir, 'stty'), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(dir, 'stty'), 0o755);
    execFileSync('sh', ['-c', `${helper}\nput_secret secrets/kore.json clientId clientSecret accountId`], {
      cwd: dir,
      input: 'cs-1\nwe"ird\\pass word\nacc-9\n',
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const file = path.join(dir, 'secrets', 'kore.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ clientId: 'cs-1', clientSecret: 'we"ird\\pass word', accountId: 'acc-9' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
