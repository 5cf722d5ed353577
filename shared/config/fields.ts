/**
 * Field rules shared by the config schema and every vendor's queue schema
 * (gate-contract.md section 1).
 */
import * as z from 'zod';
import { secretIdPattern } from '../secret-arn';

/** Hosts where `http://` is allowed, so that local simulators can stand in for vendors. */
export const loopbackHosts: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `https://`, or `http://` on a loopback host so that local simulators can stand in. */
export const vendorUrl = z
  .string()
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
      return;
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackHosts.has(url.hostname))) {
      ctx.addIssue({ code: 'custom', message: 'must use https:// (http:// only on 127.0.0.1, localhost or [::1])' });
    }
    if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not contain credentials; put them in the secret' });
    if (url.search || url.hash) ctx.addIssue({ code: 'custom', message: 'must not contain a query or fragment' });
  })
  .transform((value) => value.replace(/\/+$/, ''));

/** Numeric vendor ids may be written as strings or integers; both mean the same id. */
export const numericId = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/, 'must be a number or a string of digits')])
  // Canonical decimal, so "007", "7" and 7 are one id.
  .transform((value) => BigInt(value).toString());

export const nonEmptyId = z.string().trim().min(1).max(200);

export const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID');

/** A Secrets Manager secret name or ARN. */
export const secretId = z
  .string()
  .regex(secretIdPattern, 'must be a Secrets Manager secret name or ARN');

export const queueIdPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** The policy fields of `defaults`, each optional and each overridable per queue. */
export const policyShape = {
  minAvailable: z.number().int().min(1).max(10_000).optional(),
  cacheTtlMs: z.number().int().min(0).max(600_000).optional(),
  timeoutMs: z.number().int().min(100).max(25_000).optional(),
  onVendorError: z.enum(['deny', 'allow']).optional(),
  maxStaleMs: z.number().int().min(0).max(86_400_000).optional(),
};

export const policyDefaults = {
  minAvailable: 1,
  cacheTtlMs: 3000,
  timeoutMs: 2500,
  onVendorError: 'deny',
  maxStaleMs: 0,
} as const;

/** Fields every queue has, whatever its vendor. */
export const queueBaseShape = {
  id: z.string().regex(queueIdPattern, 'must match ^[a-z0-9][a-z0-9_-]{0,63}$'),
  secret: secretId,
  ...policyShape,
};

/** "Exactly one of" rule shared by several vendors (aircall teamId/userIds, calltools silo/baseUrl). */
export function exactlyOneOf(fields: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const present = fields.filter((field) => value[field] !== undefined);
    if (present.length === 1) return;
    ctx.addIssue({
      code: 'custom',
      path: present.length === 0 ? [] : [present[1]!],
      message: `give exactly one of ${fields.join(', ')}${present.length ? ` (found ${present.join(' and ')})` : ''}`,
    });
  };
}
