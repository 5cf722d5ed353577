/** `npm run config-schema`: writes gate.config.schema.json from the zod schema, for editors. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { configJsonSchemaText } from '../shared/config/json-schema';

const file = path.join(__dirname, '..', 'gate.config.schema.json');
writeFileSync(file, configJsonSchemaText());
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
