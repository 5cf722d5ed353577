/**
 * Every command the pages show exists: each `npm run <script>` (and `npm start`, `npm test`) is a
 * script in package.json; each script that runs one of the project's own CLIs answers `--help`
 * with exit 0, and every `--flag` the pages give it appears in that help. Scripts that only run
 * a tool (jest, tsc, cdk) are checked for existence.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { markdownPages, read, root } from './doc-links';

const scripts: Record<string, string> = JSON.parse(read('package.json')).scripts;

/** Each script a page shows, with the flags given to it after `--`. */
function documentedCommands(): Map<string, Set<string>> {
  const commands = new Map<string, Set<string>>();
  for (const page of markdownPages()) {
    const text = read(page).replace(/\\\n\s*/g, ' ');
    for (const [, run, bare, args = ''] of text.matchAll(/\bnpm (?:run (\w[\w:-]*)|(start|test)\b)(?: -- ([^\n`'"#|]*))?/g)) {
      const name = (run ?? bare)!;
      const flags = commands.get(name) ?? new Set<string>();
      for (const [flag] of args.matchAll(/--[a-z][\w-]*/g)) flags.add(flag);
      commands.set(name, flags);
    }
  }
  return commands;
}

const commands = documentedCommands();
/** A script that runs a file of this project with tsx is a CLI of ours, and says how to use it. */
const isOwnCli = (name: string) => /^tsx (local|bench)\//.test(scripts[name] ?? '');

test('the pages show the everyday commands', () => {
  expect([...commands.keys()]).toEqual(expect.arrayContaining(['start', 'test', 'check', 'create-caller']));
});

test('every npm script the pages show is in package.json', () => {
  expect([...commands.keys()].filter((name) => !(name in scripts))).toEqual([]);
});

test('every CLI script answers --help with exit 0, and knows each flag the pages give it', async () => {
  const run = promisify(execFile);
  const clis = Object.keys(scripts).filter(isOwnCli);
  expect(clis.length).toBeGreaterThan(3);
  const problems = await Promise.all(
    clis.map(async (name) => {
      const [, file] = scripts[name]!.split(' ');
      try {
        const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file!, '--help'], { cwd: root, timeout: 15_000 });
        const help = stdout + stderr;
        const unknown = [...(commands.get(name) ?? [])].filter((flag) => !help.includes(flag));
        return unknown.map((flag) => `npm run ${name}: --help does not mention ${flag}`);
      } catch (error) {
        return [`npm run ${name} -- --help: ${(error as Error).message.split('\n')[0]}`];
      }
    }),
  );
  expect(problems.flat()).toEqual([]);
}, 30_000);
