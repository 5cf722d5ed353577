/**
 * `npm run create-caller -- --name acme-leads --queues sales,support [--admin]`: makes a strong random key,
 * prints it once, and prints the entry to add to the callers secret (which stores only its hash).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { hashKey } from '../shared/callers';

const { values } = parseArgs({ options: { name: { type: 'string' }, queues: { type: 'string', default: '*' }, admin: { type: 'boolean', default: false } } });
const name = values.name ?? '';
if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
  process.stderr.write('usage: npm run create-caller -- --name NAME [--queues id1,id2 | --queues "*"] [--admin]\n(NAME: letters, digits, . _ -)\n');
  process.exit(1);
}
const queues = (values.queues ?? '*').split(',').map((queue) => queue.trim()).filter(Boolean);
// 32 random bytes: 256 bits, URL-safe so it also works as ?api_key= and in https://x:KEY@host.
const key = `tg_${randomBytes(32).toString('base64url')}`;
// --admin: this caller may set, show and end overrides of its queues (docs/operators/hours-and-overrides.md).
const entry = { name, keySha256: hashKey(key), queues, ...(values.admin && { admin: true }) };

process.stdout.write(`Key for ${name} (shown once; give it to the caller, do not store it):

  ${key}

Add this entry to the "callers" list of the callers secret (only the hash is stored):

  ${JSON.stringify(entry)}

The gate picks up a changed callers secret within 5 minutes, without a redeploy.
`);
