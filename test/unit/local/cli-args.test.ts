/**
 * The local CLIs' command lines (docs/operators/running-locally.md, "Files and flags"): --help is
 * the usage on stdout and exit 0; a mistake is the problem and the usage on stderr and exit 1.
 */
import { exitWithUsage, parseCommandLine } from '../../../local/cli-args';

class Exited extends Error {
  constructor(readonly code: number | undefined) {
    super(`exit ${code}`);
  }
}

let stdout = '';
let stderr = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  jest.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Exited(code === undefined || code === null ? undefined : Number(code));
  });
  jest.spyOn(process.stdout, 'write').mockImplementation((text) => ((stdout += String(text)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((text) => ((stderr += String(text)), true));
});
afterEach(() => jest.restoreAllMocks());

const usage = 'usage: npm run thing -- --name NAME';
const parse = (argv: string[]) => parseCommandLine(usage, { options: { name: { type: 'string' }, loud: { type: 'boolean', default: false } } }, argv);
const exitOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof Exited) return error.code;
    throw error;
  }
  return 'no exit';
};

it('parses known flags', () => {
  expect(parse(['--name', 'x', '--loud']).values).toEqual({ name: 'x', loud: true });
  expect(stdout + stderr).toBe('');
});

it.each([['--help'], ['-h']])('%s prints the usage on stdout and exits 0', (flag) => {
  expect(exitOf(() => parse(['--name', 'x', flag]))).toBe(0);
  expect(stdout).toBe(`${usage}\n`);
  expect(stderr).toBe('');
});

it.each([
  [['--nmae', 'x'], "Unknown option '--nmae'"],
  [['--name'], "Option '--name <value>' argument missing"],
  [['stray'], "Unexpected argument 'stray'"],
])('%j is an error with the usage, exit 1', (argv, problem) => {
  expect(exitOf(() => parse(argv))).toBe(1);
  expect(stderr).toContain(problem);
  expect(stderr).toContain(usage);
  expect(stdout).toBe('');
});

it('exitWithUsage: the problem, then the usage', () => {
  expect(exitOf(() => exitWithUsage(usage, '--name is required'))).toBe(1);
  expect(stderr).toBe(`--name is required\n\n${usage}\n`);
});
