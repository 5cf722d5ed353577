/**
 * Limits and duplicate windows count transfers, and a transfer is a hold placed
 * (docs/operators/limits.md): a queue that sets them must have holds, its own `holdMs` or the one
 * in `defaults` above 0. `limits`/`duplicates` in `defaults` apply only to queues with holds, so
 * they are never an error there. The rule spans `defaults` and each queue.
 */
import type * as z from 'zod/mini';
import type { ObjectRule } from './object-rules';
import { holdOnlyPolicyFields } from './call-policy';

interface Issue {
  code: 'custom';
  path: PropertyKey[];
  message: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checked on the raw input (like duplicate ids) so it is reported with every other problem at once. */
export function holdPolicyIssues(config: unknown): Issue[] {
  if (!isRecord(config) || !Array.isArray(config.queues)) return [];
  const defaultHoldMs = isRecord(config.defaults) ? config.defaults.holdMs : undefined;
  const issues: Issue[] = [];
  config.queues.forEach((queue: unknown, index) => {
    if (!isRecord(queue)) return;
    const holdMs = queue.holdMs ?? defaultHoldMs ?? 0;
    if (typeof holdMs !== 'number' || holdMs > 0) return;
    for (const field of holdOnlyPolicyFields) {
      if (queue[field] === undefined) continue;
      const message = `${field} count transfers, and a transfer is a hold placed: this queue's holdMs is 0 (holds off); set holdMs > 0 on it or in defaults, or remove ${field}`;
      issues.push({ code: 'custom', path: ['queues', index, field], message });
    }
  });
  return issues;
}

type JsonSchema = z.core.JSONSchema.BaseSchema;

// Fields named in `required` are named in `properties` too (ajv's strictRequired), and every
// `properties` entry outside an `if` carries a description, as everywhere in the published schema.
const countsTransfers: JsonSchema = {
  type: 'object',
  anyOf: holdOnlyPolicyFields.map((field) => ({ type: 'object', properties: { [field]: true }, required: [field] })),
};
const queuesWhere = (then: JsonSchema): JsonSchema => ({
  type: 'object',
  properties: {
    queues: { description: 'A queue with limits or duplicates needs holds (holdMs above 0).', type: 'array', items: { if: countsTransfers, then } },
  },
});
const holdMsOf = (rule: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['holdMs'],
  properties: { holdMs: { description: 'Limits and duplicates count holds placed: holdMs above 0.', type: 'number', ...rule } },
});

/**
 * The same rule for gate.config.schema.json. Its zod check does nothing: parseGateConfig reports
 * it from `holdPolicyIssues`, which runs even when other fields are wrong.
 */
export const holdPolicyJsonSchema: ObjectRule = {
  check: () => undefined,
  jsonSchema: {
    if: { type: 'object', required: ['defaults'], properties: { defaults: holdMsOf({ minimum: 1 }) } },
    then: queuesWhere({ type: 'object', not: holdMsOf({ const: 0 }) }),
    else: queuesWhere(holdMsOf({ minimum: 1 })),
  },
};
