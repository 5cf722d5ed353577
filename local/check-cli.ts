/**
 * `npm run check -- <queue-or-route-id> | --all [options]`: runs the gate's check from a terminal
 * and prints each decision (a route's answer) as JSON. Exit code 0, or 2 when any vendor failed, 1 for a bad config or
 * command line. docs/operators/running-locally.md explains the options.
 */
import { ConfigError } from '../shared/errors';
import { exitWithUsage, parseCommandLine } from './cli-args';

const usage = `usage: npm run check -- <queue-or-route-id> [<id> ...] | --all [options]

  --all                      check every queue (a route is checked when named)
  --config FILE              the gate config (or GATE_CONFIG_FILE); default: gate.config.json in
                             the project folder when present, else the demo
  --secrets FILE             read secrets from this file (or GATE_SECRETS_FILE) instead of AWS
                             Secrets Manager (which needs AWS credentials and a region)
  --simulators               start simulators for the config's loopback vendor URLs
  --state dynamodb|memory    default memory, or dynamodb when an endpoint is given
  --dynamodb-endpoint URL    share the table of running gates (or AWS_ENDPOINT_URL_DYNAMODB);
                             signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
  --state-table NAME         the table there (or GATE_STATE_TABLE)
  -h, --help                 this text

With the demo config it checks the demo against simulators of its own. Exit code 0, 2 when any
vendor could not be read, 1 for a bad config or command line.`;

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(usage, {
    allowPositionals: true,
    options: {
      all: { type: 'boolean', default: false },
      config: { type: 'string' },
      secrets: { type: 'string' },
      simulators: { type: 'boolean', default: false },
      state: { type: 'string' },
      'dynamodb-endpoint': { type: 'string' },
      'state-table': { type: 'string' },
    },
  });
  if (!values.all && positionals.length === 0) exitWithUsage(usage, 'name the queues or routes to check, or --all');
  // Loaded after the command line is read: --help and usage errors answer at once.
  const { runCheck } = await import('./check-run');
  return runCheck({ ...values, queueIds: values.all ? undefined : positionals });
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `check failed: ${error.name}: ${error.message}`}\n`);
    process.exit(1);
  },
);
