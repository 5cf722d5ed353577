/**
 * Command lines for the local CLIs (docs/operators/running-locally.md, "Files and flags"):
 * `--help` prints the usage and exits 0; an unknown flag, a missing value or a wrong one prints
 * what is wrong and the usage, and exits 1. Never a stack trace.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** parseArgs's own errors (by code: an `instanceof` would miss errors made in another realm). */
function isParseArgsError(error: unknown): error is Error {
  const code: unknown = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** parseArgs (strict) with `--help` / `-h` added; exits as described above. */
export function parseCommandLine<const Config extends Omit<ParseArgsConfig, 'args' | 'strict'>>(
  usage: string,
  config: Config,
  argv: string[] = process.argv.slice(2),
) {
  let parsed;
  try {
    parsed = parseArgs({ ...config, args: argv, strict: true, options: { ...config.options, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    if (isParseArgsError(error)) exitWithUsage(usage, error.message);
    throw error;
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed;
}

/** Prints `problem` and the usage to stderr, and exits 1. */
export function exitWithUsage(usage: string, problem: string): never {
  process.stderr.write(`${problem}\n\n${usage}\n`);
  process.exit(1);
}
