/** `npm run openapi`: writes openapi.json from the route table and the zod answer schemas. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCommandLine } from './cli-args';
import { openapiText } from '../shared/api/openapi-document';

const usage = `usage: npm run openapi

Writes openapi.json (the caller API's OpenAPI 3.1 document) from the route table and answer schemas.

  -h, --help   this text`;
parseCommandLine(usage, { options: {} });
const file = path.join(__dirname, '..', 'openapi.json');
writeFileSync(file, openapiText());
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
