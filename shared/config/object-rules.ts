/**
 * Rules across several fields of one object ("exactly one of", "never both"...). Each rule is
 * checked by zod and also written as JSON Schema, so that the published gate.config.schema.json
 * refuses what the gate refuses (json-schema.ts merges them in). A bare `.refine`/`.superRefine`
 * in the config schema is invisible to the JSON Schema: use `withRules`, or `gateOnly` with the
 * reason JSON Schema cannot say it (test/unit/config/json-schema.test.ts fails on any other).
 */
import * as z from 'zod/mini';
import '../zod-locale';

type JsonSchema = z.core.JSONSchema.BaseSchema;
type Fields = Record<string, unknown>;

export interface ObjectRule {
  check(value: Fields, ctx: z.core.$RefinementCtx): void;
  /** The same rule for JSON Schema, applied to the same object. */
  jsonSchema: JsonSchema;
}

/** The JSON Schema of each refined object's rules, read by json-schema.ts. */
const rulesBySchema = new WeakMap<object, JsonSchema[]>();

export function objectRulesJsonSchema(schema: object): JsonSchema[] | undefined {
  return rulesBySchema.get(schema);
}

// Descriptions (`z.describe`) are what editors show from gate.config.schema.json; README
// "Configure queues" says the same at more length. Here rather than in fields.ts so that
// call-policy.ts, which fields.ts composes, can use it too.
export const described = <T extends z.ZodMiniType>(schema: T, description: string): T => schema.check(z.describe(description));

const gateOnlyReasons = new WeakMap<object, string>();

/** Marks a refined schema whose check JSON Schema cannot express; `reason` says why. */
export function gateOnly<T extends z.ZodMiniType>(schema: T, reason: string): T {
  gateOnlyReasons.set(schema, reason);
  return schema;
}

const publishedDefaults = new WeakMap<object, unknown>();

/**
 * `schema` with `value` published as its JSON Schema `default`: for a default the code applies
 * itself (a vendor's base URL), where zod drops the `default` of a transforming schema on input.
 */
export function withPublishedDefault<T extends z.ZodMiniType>(schema: T, value: unknown): T {
  publishedDefaults.set(schema, value);
  return schema;
}

export function publishedDefault(schema: object): unknown {
  return publishedDefaults.get(schema);
}

/** Whether every custom check of `schema` is published (`withRules`) or marked `gateOnly`. */
export function customChecksAccountedFor(schema: object): boolean {
  return rulesBySchema.has(schema) || gateOnlyReasons.has(schema);
}

/** `schema` with `rules` checked by zod and recorded for the JSON Schema. */
export function withRules<T extends z.ZodMiniObject>(schema: T, rules: readonly ObjectRule[]): T {
  const refined = schema.check(
    z.superRefine((value, ctx) => {
      for (const rule of rules) rule.check(value as Fields, ctx);
    }),
  );
  rulesBySchema.set(
    refined,
    rules.map((rule) => rule.jsonSchema),
  );
  return refined;
}

const present = (value: Fields, fields: readonly string[]) => fields.filter((field) => value[field] !== undefined);
// The fields are named in `properties` too (as `true`, the object's own schema says what they hold),
// so that ajv's strict mode (strictRequired) compiles the published schema.
const required = (fields: readonly string[]): JsonSchema => ({ properties: Object.fromEntries(fields.map((field) => [field, true])), required: [...fields] });

/** Exactly one of `fields` (aircall teamId/userIds, calltools silo/baseUrl). */
export function exactlyOneOf(fields: readonly string[]): ObjectRule {
  return {
    check(value, ctx) {
      const found = present(value, fields);
      if (found.length === 1) return;
      ctx.addIssue({
        code: 'custom',
        path: found.length === 0 ? [] : [found[1]!],
        message: `give exactly one of ${fields.join(', ')}${found.length ? ` (found ${found.join(' and ')})` : ''}`,
      });
    },
    jsonSchema: { oneOf: fields.map((field) => required([field])) },
  };
}

/** At least one of `fields`, reported on the object itself. */
export function atLeastOneOf(fields: readonly string[]): ObjectRule {
  return {
    check(value, ctx) {
      if (present(value, fields).length === 0) ctx.addIssue({ code: 'custom', path: [], message: `give at least one of ${fields.join(', ')}` });
    },
    jsonSchema: { anyOf: fields.map((field) => required([field])) },
  };
}

/** Never all of `fields` together, reported at the last of them. */
export function notTogether(fields: readonly string[], message: string): ObjectRule {
  return {
    check(value, ctx) {
      if (present(value, fields).length === fields.length) ctx.addIssue({ code: 'custom', path: [fields.at(-1)!], message });
    },
    jsonSchema: { not: required(fields) },
  };
}

/** Every field of at least one of `groups` (vonage: region, or both baseUrl and authUrl). */
export function anyGroupOf(groups: ReadonlyArray<readonly string[]>, issue: { path: string[]; message: string }): ObjectRule {
  return {
    check(value, ctx) {
      if (groups.some((group) => present(value, group).length === group.length)) return;
      // A fresh path each time: zod extends an issue's path in place.
      ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
    },
    jsonSchema: { anyOf: groups.map(required) },
  };
}

/** All of `fields` or none of them (amazon-connect roleArn/secret), reported at the first missing one. */
export function allOrNone(fields: readonly string[], message: string): ObjectRule {
  return {
    check(value, ctx) {
      const found = present(value, fields);
      if (found.length === 0 || found.length === fields.length) return;
      ctx.addIssue({ code: 'custom', path: [fields.find((field) => !found.includes(field))!], message });
    },
    jsonSchema: { dependentRequired: Object.fromEntries(fields.map((field) => [field, fields.filter((other) => other !== field)])) },
  };
}
