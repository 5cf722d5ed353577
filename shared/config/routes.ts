/**
 * Routes (docs/callers/routes-and-destinations.md): a named group of queues that one ping asks
 * together. The member and id checks that need the whole config (members that exist, route ids
 * apart from queue ids, no route inside a route) run on the raw input beside the schema, so every
 * problem is reported at once like the duplicate queue ids.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { queueIdPattern } from './fields';
import { type ObjectRule, withRules } from './object-rules';

export const routePicks = ['first', 'most_available', 'weighted'] as const;
export type RoutePick = (typeof routePicks)[number];

export const routeDefaults = { pick: 'first', deadlineMs: 2000 } as const;

const memberId = z.string().check(z.regex(queueIdPattern, 'must be a queue id'));

/** `weights` with `weighted` and only then. */
const weightsOnlyWhenWeighted: ObjectRule = {
  check(value, ctx) {
    const weighted = value.pick === 'weighted';
    if (weighted && value.weights === undefined) {
      ctx.addIssue({ code: 'custom', path: ['weights'], message: 'pick "weighted" needs weights: a positive integer for every member' });
    } else if (!weighted && value.weights !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['weights'], message: 'weights are only for pick "weighted"' });
    }
  },
  jsonSchema: {
    if: { properties: { pick: { const: 'weighted' } }, required: ['pick'] },
    then: { properties: { weights: true }, required: ['weights'] },
    else: { not: { properties: { weights: true }, required: ['weights'] } },
  },
};

export const routeSchema = withRules(
  z.strictObject({
    queues: z.array(memberId).check(z.minLength(1, 'name at least one queue'), z.describe('Member queue ids, in the order `first` tries them')),
    pick: z
      ._default(z.enum(routePicks), routeDefaults.pick)
      .check(
        z.describe(
          'first: the first member that says yes; most_available: the yes with the most free agents net of holds; weighted: a random yes in proportion to weights',
        ),
      ),
    weights: z.optional(
      z.record(memberId, z.number().check(z.int(), z.minimum(1))).check(z.describe('pick "weighted" only: a positive integer weight for every member')),
    ),
    deadlineMs: z
      ._default(z.number().check(z.int(), z.minimum(100), z.maximum(20_000)), routeDefaults.deadlineMs)
      .check(z.describe('A member without an answer by then counts as no')),
  }),
  [weightsOnlyWhenWeighted],
);
export type RouteConfig = z.output<typeof routeSchema>;

export const routesSchema = z.record(z.string().check(z.regex(queueIdPattern, 'route ids follow the queue id rule ^[a-z0-9][a-z0-9_-]{0,63}$')), routeSchema);

export interface RouteReferenceIssue {
  code: 'custom';
  path: PropertyKey[];
  message: string;
}

/** Cross-reference checks of `routes` against `queues`, on the raw input. */
export function routeReferenceIssues(config: unknown): RouteReferenceIssue[] {
  if (!isRecord(config) || !isRecord(config.routes)) return [];
  const queueIds = new Set(Array.isArray(config.queues) ? config.queues.map((queue) => (isRecord(queue) ? queue.id : undefined)) : []);
  const issues: RouteReferenceIssue[] = [];
  for (const [routeId, route] of Object.entries(config.routes)) {
    const at = (...rest: PropertyKey[]) => ['routes', routeId, ...rest];
    if (queueIds.has(routeId)) issues.push({ code: 'custom', path: at(), message: `route id "${routeId}" is also a queue id (they share one namespace)` });
    if (!isRecord(route)) continue;
    const members = Array.isArray(route.queues) ? route.queues : [];
    const seen = new Set<unknown>();
    members.forEach((member, index) => {
      if (typeof member !== 'string') return;
      if (seen.has(member)) issues.push({ code: 'custom', path: at('queues', index), message: `queue "${member}" is listed twice` });
      seen.add(member);
      if (queueIds.has(member)) return;
      const message = Object.hasOwn(config.routes as object, member) ? `"${member}" is a route; a route cannot contain a route` : `unknown queue "${member}"`;
      issues.push({ code: 'custom', path: at('queues', index), message });
    });
    if (isRecord(route.weights)) {
      for (const member of seen) {
        if (typeof member === 'string' && !Object.hasOwn(route.weights, member))
          issues.push({ code: 'custom', path: at('weights'), message: `give a weight for "${member}"` });
      }
      for (const key of Object.keys(route.weights)) {
        if (!seen.has(key)) issues.push({ code: 'custom', path: at('weights', key), message: `"${key}" is not a member of this route` });
      }
    }
  }
  return issues;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
