import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configJsonSchema } from '../../../shared/config/json-schema';
import { configReference, describeType } from '../../../local/docs/config-reference';

const root = path.join(__dirname, '..', '..', '..');

describe('the configuration reference (docs/operators/configuration-reference.md)', () => {
  it('is what `npm run config-schema` writes from the schema now (run it after changing the schema)', () => {
    const committed = readFileSync(path.join(root, 'docs/operators/configuration-reference.md'), 'utf8');
    expect(committed).toBe(configReference(configJsonSchema() as Parameters<typeof configReference>[0]));
  });

  it('lists every top-level key, every policy field and every vendor', () => {
    const schema = configJsonSchema() as Parameters<typeof configReference>[0];
    const text = configReference(schema);
    for (const key of Object.keys(schema.properties ?? {}).filter((key) => key !== '$schema')) expect(text).toContain(`| \`${key}\` |`);
    for (const key of Object.keys(schema.properties?.defaults?.properties ?? {})) expect(text).toContain(`| \`${key}\` |`);
    for (const vendor of schema.properties?.queues?.items?.properties?.vendor?.enum ?? []) expect(text).toContain(`## Queues with \`"vendor": "${vendor}"\``);
  });

  it('reads types and bounds in words', () => {
    expect(describeType({ type: 'integer', minimum: 1, maximum: 10 })).toBe('integer, 1 to 10');
    expect(describeType({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER })).toBe('integer, >= 0');
    expect(describeType({ enum: ['deny', 'allow'] })).toBe('`"deny"` or `"allow"`');
    expect(describeType({ anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\d+$' }] })).toBe('integer, or string, matching `^\\d+$`');
    expect(describeType({ type: 'array', minItems: 1, items: { type: 'string' } })).toBe('array (at least 1) of string');
    expect(describeType({ type: 'object', additionalProperties: { type: 'integer' } })).toBe('map of integer');
  });
});
