import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configJsonSchemaText } from '../../../shared/config/json-schema';
import { vendorNames } from '../../../shared/vendors/registry';

const root = path.join(__dirname, '..', '..', '..');

describe('the published JSON Schema of gate.config.json', () => {
  it('is the one generated from the zod schema (run `npm run config-schema` after changing it)', () => {
    expect(readFileSync(path.join(root, 'gate.config.schema.json'), 'utf8')).toBe(configJsonSchemaText());
  });

  it('describes every registered vendor and forbids unknown keys', () => {
    const schema = JSON.parse(configJsonSchemaText());
    const queueVariants = schema.properties.queues.items.oneOf ?? schema.properties.queues.items.anyOf;
    const vendors = queueVariants.map((variant: { properties: { vendor: { const: string } } }) => variant.properties.vendor.const);
    expect(vendors.sort()).toEqual([...vendorNames].sort());
    expect(schema.additionalProperties).toBe(false);
    for (const variant of queueVariants) expect(variant.additionalProperties).toBe(false);
  });
});
