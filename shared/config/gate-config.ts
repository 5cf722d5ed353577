/**
 * gate.config.json: the schema (the single source of truth, also published as JSON Schema),
 * parsing with every problem reported at once, and per-queue policy resolution.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { ConfigError } from '../errors';
import { type Schedule, scheduleReferenceIssues, schedulesSchema } from '../schedule/schedule-schema';
import { secretIdPattern } from '../secret-arn';
import { limitKeyForms, limitKeyOf, vendorModuleList, vendorQueueSchemas } from '../vendors/registry';
import type { Duplicates, Geo, QueueLimits } from './call-policy';
import type { Payout } from './destinations';
import { holdPolicyIssues, holdPolicyJsonSchema } from './hold-policy-rules';
import { described, policyDefaults, policyShape, policyShapeWithDefaults, secretId } from './fields';
import { withRules } from './object-rules';
import { type RouteConfig, routeReferenceIssues, routesSchema } from './routes';

export const defaultCallersSecret = 'transfer-gate/callers';

export const queueConfigSchema = z.discriminatedUnion('vendor', vendorQueueSchemas);
export type QueueConfig = z.output<typeof queueConfigSchema>;

/** A `vendorBudgets` key: a secret's name or ARN, or a vendor's own limit key (`amazon-connect:<region>`). */
const budgetKey = z
  .string()
  .check(
    z.regex(
      new RegExp([secretIdPattern, ...limitKeyForms.map((form) => form.keyPattern)].map((pattern) => `(?:${pattern.source})`).join('|')),
      `must be a Secrets Manager secret name or ARN${limitKeyForms.map((form) => `, or ${form.keyForm}`).join('')}`,
    ),
  );

export const gateConfigSchema = withRules(
  z.strictObject({
    /** Lets editors find the published JSON Schema. */
    $schema: z.optional(described(z.string(), 'Where editors find this JSON Schema, e.g. "./gate.config.schema.json"; the gate ignores it.')),
    callersSecret: z._default(described(secretId, 'The Secrets Manager secret (name or ARN) listing the callers and their key hashes.'), defaultCallersSecret),
    /** Named hours of operation (docs/operators/hours-and-overrides.md); picked by `schedule` in defaults or a queue. */
    schedules: z._default(schedulesSchema, {}),
    defaults: z._default(
      described(
        z.strictObject(policyShapeWithDefaults()),
        "Policy for every queue; a queue's own field wins over the one here, which wins over the built-in default.",
      ),
      {},
    ),
    queues: described(z.array(queueConfigSchema).check(z.minLength(1, 'name at least one queue')), 'The queues, one per vendor queue, team or filter set.'),
    /** Groups of queues one ping asks together (docs/callers/routes-and-destinations.md); ids share the queues' namespace. */
    routes: z._default(described(routesSchema, "Routes by id: groups of queues that one ping asks together (ids share the queues' namespace)."), {}),
    /** Vendor requests per UTC minute per secret name (or `amazon-connect:<region>`), across all containers (docs/operators/shared-state.md#how-the-gate-reads-a-vendor). */
    vendorBudgets: z.optional(
      described(
        z.record(
          budgetKey,
          z.strictObject({
            callsPerMinute: described(
              z.number().check(z.int(), z.minimum(1)),
              'Vendor requests per UTC minute on this secret (or Amazon Connect Region), across all containers.',
            ),
          }),
        ),
        'Vendor request budgets by secret name, or by `amazon-connect:<region>` for Amazon Connect (the vendor defaults apply to the keys not listed).',
      ),
    ),
  }),
  [holdPolicyJsonSchema],
);
export type GateConfigInput = z.input<typeof gateConfigSchema>;

/** A queue's resolved policy: every policy field, required; `schedule` resolved from its name (absent: always open). */
const { schedule: _scheduleName, payout: _payout, limits: _limits, duplicates: _duplicates, geo: _geo, ...requiredPolicyShape } = policyShape;
const policySchema = z.required(z.object(requiredPolicyShape));
/** Limits and duplicates only where holdMs > 0 (a `defaults` entry does not reach queues without holds); geo anywhere. */
export type Policy = z.output<typeof policySchema> & { schedule?: Schedule; payout?: Payout; limits?: QueueLimits; duplicates?: Duplicates; geo?: Geo };
/** A queue's own policy fields, without its vendor fields. */
const policyOverridesSchema = z.object(policyShape);

/**
 * A queue with its policy resolved from built-in defaults, `defaults` and its own overrides, and the
 * key of its vendor budget and Retry-After blocks (its secret, or `amazon-connect:<region>`).
 */
export type GateQueue = QueueConfig & { policy: Policy; limitKey: string };

/** A route with its defaults applied; its members are queue ids of the same config. */
export type GateRoute = RouteConfig & { id: string };

export interface GateConfig {
  callersSecret: string;
  queues: ReadonlyMap<string, GateQueue>;
  routes: ReadonlyMap<string, GateRoute>;
  /** Configured budgets only; the gate adds the vendor defaults. */
  vendorBudgets?: Readonly<Record<string, { callsPerMinute: number }>>;
}

export function parseGateConfig(input: unknown, source = 'gate.config.json'): GateConfig {
  const parsed = gateConfigSchema.safeParse(input);
  // Checked on the raw input, so a duplicate is reported with every other problem at once
  // (a zod refinement on the whole config would only run once everything else is valid).
  const issues = [
    ...(parsed.error?.issues ?? []),
    ...duplicateQueueIds(input),
    ...scheduleReferenceIssues(input),
    ...inheritedCacheTtlIssues(input),
    ...routeReferenceIssues(input),
    ...holdPolicyIssues(input),
  ];
  if (!parsed.success || issues.length) throw new ConfigError(`${source} is invalid:\n${formatIssues(issues)}`);
  const { defaults, queues, callersSecret, vendorBudgets, schedules, routes } = parsed.data;
  const resolved = new Map<string, GateQueue>();
  for (const queue of queues) {
    // Already validated: these parses only pick and merge (built-in < defaults < the queue's own).
    const own = policyOverridesSchema.parse(queue);
    const policy: Policy = policySchema.parse({ ...policyDefaults, ...defaults, ...own });
    const payout = own.payout ?? defaults.payout;
    if (payout !== undefined) policy.payout = payout;
    Object.assign(policy, callPolicy(own, defaults, policy.holdMs));
    // One shared object per schedule name (the schedule module caches its compiled form per object).
    const scheduleName = own.schedule ?? defaults.schedule;
    if (scheduleName !== undefined) policy.schedule = schedules[scheduleName];
    resolved.set(queue.id, { ...queue, policy, limitKey: limitKeyOf(queue) });
  }
  const resolvedRoutes = new Map(Object.entries(routes).map(([id, route]) => [id, { ...route, id }]));
  return { callersSecret, queues: resolved, routes: resolvedRoutes, ...(vendorBudgets && { vendorBudgets }) };
}

/** A queue's own limits/duplicates/geo, else those of `defaults`; limits and duplicates only on queues with holds. */
type CallPolicy = Pick<Policy, 'limits' | 'duplicates' | 'geo'>;

function callPolicy(own: CallPolicy, defaults: CallPolicy, holdMs: number): CallPolicy {
  const picked: CallPolicy = {};
  const limits = own.limits ?? defaults.limits;
  const duplicates = own.duplicates ?? defaults.duplicates;
  const geo = own.geo ?? defaults.geo;
  if (holdMs > 0 && limits) picked.limits = limits;
  if (holdMs > 0 && duplicates) picked.duplicates = duplicates;
  if (geo) picked.geo = geo;
  return picked;
}

function duplicateQueueIds(input: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const queues = (input as { queues?: unknown } | null)?.queues;
  if (!Array.isArray(queues)) return [];
  const seen = new Set<unknown>();
  const issues: Array<{ path: PropertyKey[]; message: string }> = [];
  queues.forEach((queue: { id?: unknown } | null, index) => {
    const id = queue?.id;
    if (typeof id !== 'string') return;
    if (seen.has(id)) issues.push({ path: ['queues', index, 'id'], message: `duplicate queue id "${id}"` });
    seen.add(id);
  });
  return issues;
}

const minCacheTtlByVendor = new Map(
  vendorModuleList.flatMap((module) => (module.defaults.minCacheTtlMs === undefined ? [] : [[module.name as string, module.defaults.minCacheTtlMs]])),
);

/**
 * A vendor's `minCacheTtlMs` (vendor-module.ts) against the cacheTtlMs a queue inherits from
 * `defaults` (or the built-in default). A queue's own value is checked by its vendor's schema.
 */
function inheritedCacheTtlIssues(input: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const { queues, defaults } = (input ?? {}) as { queues?: unknown; defaults?: { cacheTtlMs?: unknown } };
  if (!Array.isArray(queues)) return [];
  const inherited = typeof defaults?.cacheTtlMs === 'number' ? defaults.cacheTtlMs : policyDefaults.cacheTtlMs;
  const issues: Array<{ path: PropertyKey[]; message: string }> = [];
  queues.forEach((queue: { vendor?: unknown; cacheTtlMs?: unknown } | null, index) => {
    const min = typeof queue?.vendor === 'string' ? minCacheTtlByVendor.get(queue.vendor) : undefined;
    if (min === undefined || queue?.cacheTtlMs !== undefined || inherited >= min) return;
    issues.push({
      path: ['queues', index, 'cacheTtlMs'],
      message: `${queue!.vendor as string} queues need cacheTtlMs of at least ${min}; defaults.cacheTtlMs is ${inherited}: set it on this queue`,
    });
  });
  return issues;
}

/** One line per problem, each with its JSON path, e.g. `queues[1].ringGroupId: ...`. */
export function formatIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((issue) => `  - ${jsonPath(issue.path)}: ${issue.message}`).join('\n');
}

function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `${text ? '.' : ''}${String(part)}`;
  return text || '(root)';
}
