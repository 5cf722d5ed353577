/** `npm run openapi`: writes openapi.json from the route table and the zod answer schemas. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openapiText } from '../shared/api/openapi-document';

const file = path.join(__dirname, '..', 'openapi.json');
writeFileSync(file, openapiText());
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
