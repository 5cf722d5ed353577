import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import * as z from 'zod/mini';
import { exactlyOneOf, withRules } from '../../../shared/config/fields';
import { defaultCallersSecret, gateConfigSchema } from '../../../shared/config/gate-config';
import { policyDefaults } from '../../../shared/config/fields';
import { aircallDefaultBaseUrl } from '../../../shared/vendors/aircall';
import { alowareDefaultBaseUrl } from '../../../shared/vendors/aloware';
import { koreaiDefaultBaseUrl } from '../../../shared/vendors/koreai';
import { configJsonSchemaText, publishedJsonSchema, unpublishedChecks } from '../../../shared/config/json-schema';
import { vendorNames } from '../../../shared/vendors/registry';
import { aloware, gateOnlyInvalidExamples, invalidExamples, validExamples, withQueue } from './config-examples';

const root = path.join(__dirname, '..', '..', '..');
const published = JSON.parse(readFileSync(path.join(root, 'gate.config.schema.json'), 'utf8'));

/** Strict ajv (strictRequired included): an unknown keyword, a bad regex or a `required` field not in `properties` fails the compile. */
function compile() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv.compile(published);
}
const validate = compile();

/** ajv's errors for a config as read from a file (keys set to undefined in the table are absent). */
function ajvErrors(input: unknown): ErrorObject[] {
  return validate(JSON.parse(JSON.stringify(input))) ? [] : (validate.errors ?? []);
}

/** `/queues/0/baseUrl` as zod writes it: `queues[0].baseUrl`. */
function zodStylePath(instancePath: string): string {
  const parts = instancePath.split('/').slice(1);
  return parts.reduce((text, part) => (/^\d+$/.test(part) ? `${text}[${part}]` : `${text}${text ? '.' : ''}${part}`), '');
}

/** Every field (a `properties` entry that is a schema, outside `if`) by its JSON pointer. */
function fieldsOf(node: unknown, pointer = '#', found: Array<[string, Record<string, unknown>]> = []) {
  if (typeof node !== 'object' || node === null) return found;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'if') continue;
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      for (const [field, schema] of Object.entries(value))
        if (typeof schema === 'object') found.push([`${pointer}/properties/${field}`, schema as Record<string, unknown>]);
    }
    fieldsOf(value, `${pointer}/${key}`, found);
  }
  return found;
}

describe('what editors show from the published JSON Schema (descriptions and defaults)', () => {
  const fields = fieldsOf(published);

  it('has a description on every field', () => {
    expect(fields.length).toBeGreaterThan(90);
    expect(fields.filter(([, schema]) => typeof schema.description !== 'string' || schema.description.length < 10).map(([pointer]) => pointer)).toEqual([]);
  });

  it('publishes the defaults the code applies: policy, callers secret, vendor hosts', () => {
    const defaults = published.properties.defaults.properties;
    for (const [field, value] of Object.entries(policyDefaults)) expect([field, defaults[field].default]).toEqual([field, value]);
    expect(published.properties.callersSecret.default).toBe(defaultCallersSecret);
    const vendorDefault = (vendor: string) =>
      published.properties.queues.items.allOf.find(
        (branch: { if: { properties: { vendor: { const: string } } } }) => branch.if.properties.vendor.const === vendor,
      ).then.properties.baseUrl.default;
    expect([vendorDefault('aloware'), vendorDefault('koreai'), vendorDefault('aircall')]).toEqual([
      alowareDefaultBaseUrl,
      koreaiDefaultBaseUrl,
      aircallDefaultBaseUrl,
    ]);
    // No default where the code has none (CallTools and Vonage hosts come from silo or region).
    expect([vendorDefault('calltools'), vendorDefault('vonage')]).toEqual([undefined, undefined]);
  });
});

describe('the published JSON Schema of gate.config.json', () => {
  it('is the one generated from the zod schema (run `npm run config-schema` after changing it)', () => {
    expect(readFileSync(path.join(root, 'gate.config.schema.json'), 'utf8')).toBe(configJsonSchemaText());
  });

  it('describes every vendor of the registry, each branch chosen by if/then on vendor, and forbids unknown keys', () => {
    const items = published.properties.queues.items;
    expect(items.oneOf).toBeUndefined();
    expect(items.anyOf).toBeUndefined();
    expect(items.properties.vendor.enum).toEqual([...vendorNames]);
    const branches: Array<{ if: { properties: { vendor: { const: string } } }; then: { additionalProperties: boolean } }> = items.allOf;
    expect(branches.map((branch) => branch.if.properties.vendor.const).sort()).toEqual([...vendorNames].sort());
    expect(published.additionalProperties).toBe(false);
    for (const branch of branches) expect(branch.then.additionalProperties).toBe(false);
  });
});

describe('ajv with the published JSON Schema, on the same examples as the zod test', () => {
  it.each(validExamples)('accepts %s', (_label, input) => {
    expect(ajvErrors(input)).toEqual([]);
  });

  it.each(invalidExamples)('refuses %s, at the JSON path zod names (or the object holding it)', (_label, input, expected) => {
    const zodPath = expected.slice(0, expected.indexOf(':')).replace('(root)', '');
    // `if` only says that the vendor's `then` failed; the errors that matter are the others.
    const paths = ajvErrors(input)
      .filter((error) => error.keyword !== 'if')
      .map((error) => zodStylePath(error.instancePath));
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.some((found) => zodPath === found || zodPath.startsWith(`${found}.`) || zodPath.startsWith(`${found}[`) || found === '')).toBe(true);
  });

  it.each(gateOnlyInvalidExamples)('cannot refuse %s (only the gate does; docs/operators/configuration.md says so)', (_label, input) => {
    expect(ajvErrors(input)).toEqual([]);
  });

  it('accepts the demo config of `npm start`', () => {
    expect(ajvErrors(JSON.parse(readFileSync(path.join(root, 'local', 'demo', 'gate.config.json'), 'utf8')))).toEqual([]);
  });

  it("reports an aloware mistake with aloware's rules only, not another vendor's required fields", () => {
    const errors = ajvErrors(withQueue({ id: 'q', vendor: 'aloware', secret: 's', baseUrl: 'http://app.aloware.com' }));
    const missing = errors.filter((error) => error.keyword === 'required').map((error) => error.params.missingProperty);
    expect(missing).toEqual(['ringGroupId']);
    expect(errors.some((error) => error.instancePath === '/queues/0/baseUrl' && error.keyword === 'pattern')).toBe(true);
    expect(JSON.stringify(errors)).not.toMatch(/botId|teamId|queueId"|silo|region/);
  });

  it('says nothing about a valid queue next to an invalid one', () => {
    const errors = ajvErrors({ queues: [aloware, { ...aloware, id: 'b', ringGroupId: 'x' }] });
    expect(errors.every((error) => error.instancePath.startsWith('/queues/1'))).toBe(true);
  });
});

describe('publishedJsonSchema, for fields added later', () => {
  const kind = z.discriminatedUnion('kind', [
    withRules(z.strictObject({ kind: z.literal('a'), x: z.optional(z.number()), y: z.optional(z.number()) }), [exactlyOneOf(['x', 'y'])]),
    z.strictObject({ kind: z.literal('b'), z: z.string() }),
  ]);
  const schema = z.strictObject({ nested: z.optional(z.array(z.strictObject({ inner: kind }))) });

  it('publishes cross-field rules and discriminated unions wherever they sit in the tree', () => {
    const validateNested = new Ajv2020({ strict: true }).compile(publishedJsonSchema(schema));
    for (const [input, valid] of [
      [{ nested: [{ inner: { kind: 'a', x: 1 } }] }, true],
      [{ nested: [{ inner: { kind: 'b', z: 's' } }] }, true],
      [{ nested: [{ inner: { kind: 'a', x: 1, y: 2 } }] }, false],
      [{ nested: [{ inner: { kind: 'a' } }] }, false],
      [{ nested: [{ inner: { kind: 'c' } }] }, false],
    ] as const) {
      expect([input, validateNested(input)]).toEqual([input, valid]);
      expect([input, schema.safeParse(input).success]).toEqual([input, valid]);
    }
    const inner = (publishedJsonSchema(schema) as { properties: { nested: { items: { properties: { inner: object } } } } }).properties.nested.items.properties
      .inner;
    expect(inner).toMatchObject({ properties: { kind: { enum: ['a', 'b'] } }, allOf: [{ if: { properties: { kind: { const: 'a' } } } }, { if: {} }] });
  });
});

describe('unpublishedChecks', () => {
  it('finds no refinement in the config schema that the JSON Schema leaves out (use withRules or gateOnly)', () => {
    expect(unpublishedChecks(gateConfigSchema)).toEqual([]);
  });

  it('finds a bare superRefine, wherever it sits', () => {
    const bare = z.strictObject({ a: z.number() }).check(z.superRefine(() => undefined));
    expect(unpublishedChecks(z.strictObject({ list: z.array(bare), ok: withRules(z.strictObject({ b: z.number() }), []) }))).toHaveLength(1);
    expect(unpublishedChecks(z.strictObject({ s: z.string().check(z.refine((value) => value !== 'x')) }))).toHaveLength(1);
  });
});
