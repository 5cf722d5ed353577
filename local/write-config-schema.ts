/**
 * `npm run config-schema`: writes gate.config.schema.json from the zod schema, for editors, and
 * the configuration reference generated from it (docs/operators/configuration-reference.md).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCommandLine } from './cli-args';
import { configJsonSchema, configJsonSchemaText } from '../shared/config/json-schema';
import { configReference } from './docs/config-reference';

const usage = `usage: npm run config-schema

Writes gate.config.schema.json (the JSON Schema of gate.config.json) from the config's zod schema,
and docs/operators/configuration-reference.md from that JSON Schema.

  -h, --help   this text`;
parseCommandLine(usage, { options: {} });
const root = path.join(__dirname, '..');
const targets: Array<[string, string]> = [
  ['gate.config.schema.json', configJsonSchemaText()],
  ['docs/operators/configuration-reference.md', configReference(configJsonSchema() as Parameters<typeof configReference>[0])],
];
for (const [file, text] of targets) {
  writeFileSync(path.join(root, file), text);
  process.stdout.write(`wrote ${file}\n`);
}
