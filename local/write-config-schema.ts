/** `npm run config-schema`: writes gate.config.schema.json from the zod schema, for editors. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCommandLine } from './cli-args';
import { configJsonSchemaText } from '../shared/config/json-schema';

const usage = `usage: npm run config-schema

Writes gate.config.schema.json (the JSON Schema of gate.config.json) from the config's zod schema.

  -h, --help   this text`;
parseCommandLine(usage, { options: {} });
const file = path.join(__dirname, '..', 'gate.config.schema.json');
writeFileSync(file, configJsonSchemaText());
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
