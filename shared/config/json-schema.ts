/**
 * The published JSON Schema of gate.config.json, generated from the zod schema (its single source).
 * zod writes fields, patterns and bounds itself; two things are added here, for every schema in the
 * tree so that fields added later come out right without touching this file:
 * - the cross-field rules of object-rules.ts (`withRules`), merged as `allOf`;
 * - a discriminated union (the queue's `vendor`) as `if`/`then` per value instead of `oneOf`, so an
 *   editor reports the mistakes of the chosen vendor only, not every other vendor's required fields.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { gateConfigSchema } from './gate-config';
import { customChecksAccountedFor, objectRulesJsonSchema, publishedDefault } from './object-rules';

type JsonSchema = z.core.JSONSchema.BaseSchema;

export function configJsonSchema(): JsonSchema {
  return { ...publishedJsonSchema(gateConfigSchema), title: 'transfer-gate gate.config.json' };
}

/** Any config schema as JSON Schema, with its cross-field rules and its unions branched on the discriminator. */
export function publishedJsonSchema(schema: z.core.$ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: ({ zodSchema, jsonSchema }) => {
      const published = publishedDefault(zodSchema);
      if (published !== undefined) jsonSchema.default = published;
      const rules = objectRulesJsonSchema(zodSchema);
      if (rules) jsonSchema.allOf = [...(jsonSchema.allOf ?? []), ...rules];
      const discriminator = (zodSchema._zod.def as { discriminator?: unknown }).discriminator;
      if (typeof discriminator === 'string') branchOn(discriminator, jsonSchema);
    },
  });
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

/**
 * Where `schema` has a refine/superRefine the JSON Schema does not carry (neither `withRules` nor
 * `gateOnly`): the published schema would accept what the gate refuses. Paths as JSON pointers.
 */
export function unpublishedChecks(schema: z.core.$ZodType): string[] {
  const found: string[] = [];
  z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, path }) => {
      const checks = zodSchema._zod.def.checks ?? [];
      const custom = checks.some((check) => check._zod.def.check === 'custom');
      if (custom && !customChecksAccountedFor(zodSchema)) found.push(`/${path.join('/')}`);
    },
  });
  return found;
}

/** Rewrites `{oneOf: [variant...]}` in place to: the key is one of the values; `if` key = value `then` variant. */
function branchOn(key: string, jsonSchema: JsonSchema): void {
  const variants = jsonSchema.oneOf ?? jsonSchema.anyOf ?? [];
  const values = variants.map((variant) => discriminatorValue(variant, key));
  delete jsonSchema.oneOf;
  delete jsonSchema.anyOf;
  Object.assign(jsonSchema, {
    type: 'object',
    properties: { [key]: { enum: values, description: `One of ${values.join(', ')}; the other fields depend on it.` } },
    required: [key],
    allOf: variants.map((variant, index) => ({
      if: { properties: { [key]: { const: values[index] } }, required: [key] },
      then: variant,
    })),
  });
}

function discriminatorValue(variant: JsonSchema, key: string): unknown {
  const property = variant.properties?.[key];
  const value = typeof property === 'object' ? (property.const ?? property.enum?.[0]) : undefined;
  if (value === undefined) throw new Error(`cannot publish a JSON Schema: a variant has no single "${key}" value`);
  return value;
}
