/**
 * `npm run create-caller -- --name acme-leads --queues sales,support [--admin]`: makes a strong random key,
 * prints it once, and prints the entry to add to the callers secret (which stores only its hash).
 * `--queues` is required: a caller for every queue says so with `--queues "*"`.
 */
import { randomBytes } from 'node:crypto';
import { hashKey } from '../shared/callers';
import { exitWithUsage, parseCommandLine } from './cli-args';

const usage = `usage: npm run create-caller -- --name NAME --queues ID[,ID...] [--admin]

  --name NAME        the caller's name (letters, digits, . _ -; at most 64)
  --queues IDS       the queue (or route) ids it may ask, comma-separated; "*" for every one
  --admin            it may also set, show and end overrides of those queues
  -h, --help         this text`;

const { values } = parseCommandLine(usage, { options: { name: { type: 'string' }, queues: { type: 'string' }, admin: { type: 'boolean', default: false } } });
const name = values.name ?? '';
if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) exitWithUsage(usage, values.name === undefined ? '--name is required' : `--name "${name}" is not a valid name`);
const queues = (values.queues ?? '')
  .split(',')
  .map((queue) => queue.trim())
  .filter(Boolean);
if (queues.length === 0) exitWithUsage(usage, '--queues is required: name the queues this caller may ask, or --queues "*" for every queue');
// 32 random bytes: 256 bits, URL-safe so it also works as ?api_key= and in https://x:KEY@host.
const key = `tg_${randomBytes(32).toString('base64url')}`;
// --admin: this caller may set, show and end overrides of its queues (docs/operators/hours-and-overrides.md#admin-callers).
const entry = { name, keySha256: hashKey(key), queues, ...(values.admin && { admin: true }) };

process.stdout.write(`Key for ${name} (shown once; give it to the caller, do not store it):

  ${key}

Add this entry to the "callers" list of the callers secret (only the hash is stored):

  ${JSON.stringify(entry)}

The gate picks up a changed callers secret within 5 minutes, without a redeploy.
`);
