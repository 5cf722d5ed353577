/**
 * Field rules shared by the config schema and every vendor's queue schema
 * (docs/operators/configuration.md).
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import * as z from 'zod/mini';
import { secretIdPattern } from '../secret-arn';
import '../zod-locale';
import { callPolicyShape } from './call-policy';
import { payoutSchema, transferTo } from './destinations';
import { described, gateOnly, withPublishedDefault } from './object-rules';
import { maxQueueTimeoutMs, maxQueueTimeoutReason } from './time-budget';

/** Hosts where `http://` is allowed, so that local simulators can stand in for vendors. */
export const loopbackHosts: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

// The URL rules are regexes so that the published JSON Schema carries them as `pattern`s and
// says exactly what zod says (gate.config.schema.json). Each rule reports only its own mistake.
const loopbackHost = String.raw`(?:127\.0\.0\.1|localhost|\[::1\])`;
const absolute = String.raw`[A-Za-z][A-Za-z0-9+.-]*:`;
const port = String.raw`(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])`;
const octet = String.raw`(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])`;
// A DNS name whose last label is not all digits (those are read as IPv4), an IPv4 or an IPv6 literal.
const host = String.raw`(?:(?:[A-Za-z0-9_-]+\.)*[A-Za-z0-9_-]*[A-Za-z_-][A-Za-z0-9_-]*\.?|(?:${octet}\.){3}${octet}|\[[0-9A-Fa-f:.]+\])`;
const pathChars = String.raw`(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})*`;

const vendorUrlRules = [
  { pattern: new RegExp(`^${absolute}`), message: 'must be an absolute URL' },
  {
    // Only judged on absolute URLs, so that a relative one is reported once.
    pattern: new RegExp(`^(?!${absolute})|^https://|^http://${loopbackHost}(?:[:/]|$)`),
    message: 'must use https:// (http:// only on 127.0.0.1, localhost or [::1])',
  },
  { pattern: /^(?![^:/?#]+:\/\/[^/?#]*@)/, message: 'must not contain credentials; put them in the secret' },
  { pattern: /^[^?#]*$/, message: 'must not contain a query or fragment' },
  {
    // Credentials, a query or another scheme are reported by the rules above, not again here.
    pattern: new RegExp(`^(?!https?://)|^https?://(?:[^/?#@]*@)?${host}(?::${port})?(?:/${pathChars})?(?:[?#].*)?$`),
    message: 'must be a URL such as https://api.example.com/path (a valid host, port and path)',
  },
] as const;

type UrlRule = { readonly pattern: RegExp; readonly message: string };

/** A URL field judged by `rules` (each reports only its own mistake), trailing slashes dropped. */
function urlSchema(rules: readonly UrlRule[], description: string) {
  const patterns = rules.reduce((schema, rule) => schema.check(z.regex(rule.pattern, rule.message)), z.string());
  return (
    z
      .pipe(
        gateOnly(
          patterns.check(
            z.superRefine((value, ctx) => {
              if (!rules.every((rule) => rule.pattern.test(value))) return;
              const problem = urlParseProblem(value);
              if (problem) ctx.addIssue({ code: 'custom', message: `must be a URL that parses (${problem})` });
            }),
          ),
          'the patterns admit almost nothing URL parsing refuses (an ill-formed IPv6 literal or punycode label)',
        ),
        z.transform((value: string) => value.replace(/\/+$/, '')),
      )
      // Editors show this next to the bare patterns of the published JSON Schema.
      .check(z.describe(description))
  );
}

/** `https://`, or `http://` on a loopback host so that local simulators can stand in. */
export const vendorUrl = urlSchema(vendorUrlRules, 'https://, or http:// on 127.0.0.1, localhost or [::1]; no credentials, query or fragment');

/**
 * A vendor origin (scheme, host, port): the adapter appends the vendor's documented path
 * (docs/operators/vendors/README.md), so a path here would only point the gate somewhere undocumented.
 */
export const vendorOrigin = urlSchema(
  [
    ...vendorUrlRules,
    // A path is reported only on an otherwise absolute URL; a trailing slash is no path.
    {
      pattern: new RegExp(`^(?!${absolute}//[^/?#]*/+[^/?#])`),
      message: "must be an origin (scheme, host and port) without a path; the gate adds the vendor's path",
    },
  ],
  'an origin: https://, or http:// on 127.0.0.1, localhost or [::1]; no path, credentials, query or fragment',
);

/** Why `value` is not a URL with a well-formed host, or undefined when it is one. */
function urlParseProblem(value: string): string | undefined {
  // The host as written (the patterns above have vetted the URL's shape), so that every Node says the same.
  const host = /^https?:\/\/([^/?#:]*)/i.exec(value)?.[1] ?? '';
  const label = host.split('.').find(isIllFormedPunycodeLabel);
  if (label !== undefined) return `"${label}" is not a well-formed punycode label`;
  return URL.canParse(value) ? undefined : 'check the host';
}

/**
 * An `xn--` label is an IDNA A-label only when it decodes to a name that is not all ASCII and
 * encodes back to itself (RFC 5891 section 5.4). Node 20's URL parser refused ill-formed ones and
 * Node 24's (what Lambda runs) accepts them: checked here, so every Node refuses the same URLs
 * (docs/contributors/tooling.md#nodejs-24).
 */
function isIllFormedPunycodeLabel(label: string): boolean {
  if (!/^xn--/i.test(label)) return false;
  const decoded = domainToUnicode(label);
  return /^[\x20-\x7e]*$/.test(decoded) || domainToASCII(decoded) !== label.toLowerCase();
}

/** Numeric vendor ids may be written as strings or integers; both mean the same id. */
export const numericId = z.pipe(
  z.union([z.number().check(z.int(), z.nonnegative()), z.string().check(z.regex(/^\d{1,20}$/, 'must be a number or a string of digits'))]),
  // Canonical decimal, so "007", "7" and 7 are one id.
  z.transform((value: number | string) => BigInt(value).toString()),
);

export const nonEmptyId = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

export const guid = z.string().check(z.regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID'));

/** A Secrets Manager secret name or ARN. */
export const secretId = z.string().check(z.regex(secretIdPattern, 'must be a Secrets Manager secret name or ARN'));

export const queueIdPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;

// Here rather than in shared/schedule/ because a queue's schema (a vendor's, below the schedule layer) carries it.
export const scheduleNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** The `schedule` field of a queue or of `defaults`: the name of an entry in `schedules` (docs/operators/hours-and-overrides.md). */
export const scheduleName = z.string().check(z.regex(scheduleNamePattern, 'must be a schedule name matching ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'));

/** The policy fields of `defaults`, each optional and each overridable per queue. */
export const policyShape = {
  minAvailable: z.optional(
    described(z.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 'Agents that must be free for canTransfer to be true (1 to 10000; default 1).'),
  ),
  cacheTtlMs: z.optional(
    described(z.number().check(z.int(), z.minimum(0), z.maximum(600_000)), 'How long a vendor answer is reused, in ms (0 to 600000; default 3000).'),
  ),
  timeoutMs: z.optional(
    described(
      z.number().check(z.int(), z.minimum(100), z.maximum(maxQueueTimeoutMs, maxQueueTimeoutReason)),
      `Hard limit on one vendor check, secret and token fetches included, in ms (100 to ${maxQueueTimeoutMs}; default 2500).`,
    ),
  ),
  onVendorError: z.optional(
    described(z.enum(['deny', 'allow']), 'The answer when the vendor cannot be read: deny (canTransfer false) or allow (default deny).'),
  ),
  maxStaleMs: z.optional(
    described(
      z.number().check(z.int(), z.minimum(0), z.maximum(86_400_000)),
      'On a vendor failure, a last good answer at most this old (ms) may be served instead (0 to 86400000; default 0: never).',
    ),
  ),
  /** Holds (docs/operators/holds.md): how long a "yes" keeps its agent; 0 turns holds off. */
  holdMs: z.optional(
    described(
      z.number().check(z.int(), z.minimum(0), z.maximum(600_000)),
      'Holds: how long a "yes" keeps its agent for the caller, in ms (0 to 600000; default 0: off).',
    ),
  ),
  /** Hours (docs/operators/hours-and-overrides.md): the name of an entry in `schedules`. */
  schedule: z.optional(described(scheduleName, 'Hours: the name of an entry in "schedules" (none: always open).')),
  /** Limits, duplicate windows and geography (docs/operators/limits.md); limits and duplicates need holdMs > 0. */
  ...callPolicyShape,
  /** docs/on-call/when-things-fail.md: the answer when the state store cannot confirm a promise. */
  onStoreError: z.optional(
    described(
      z.enum(['deny', 'allow']),
      'When the state store cannot confirm a shared promise (a hold, a limit, a duplicate window): deny (default) answers canTransfer false with reason state_unavailable; allow answers what the agents alone say, places no hold, and marks the answer stateUnavailable.',
    ),
  ),
  /** Routes and destinations (docs/callers/routes-and-destinations.md): payout terms echoed on a yes. */
  payout: z.optional(payoutSchema),
};

export const policyDefaults = {
  minAvailable: 1,
  cacheTtlMs: 3000,
  timeoutMs: 2500,
  onVendorError: 'deny',
  maxStaleMs: 0,
  holdMs: 0,
  onStoreError: 'deny',
} as const;

/** `policyShape` with each built-in default published as the JSON Schema `default` (for `defaults`, where it applies). */
export function policyShapeWithDefaults(): typeof policyShape {
  const shape: Record<string, z.ZodMiniType> = { ...policyShape };
  for (const [field, value] of Object.entries(policyDefaults)) shape[field] = shape[field]!.check(z.meta({ default: value }));
  return shape as typeof policyShape;
}

/** Fields every queue has, whatever its vendor. */
export const queueBaseShape = {
  id: described(
    z.string().check(z.regex(queueIdPattern, 'must match ^[a-z0-9][a-z0-9_-]{0,63}$')),
    "The queue's public name in URLs (/v1/queues/{id}/availability); unique.",
  ),
  secret: described(secretId, "The Secrets Manager secret (name or ARN) holding this vendor's credentials."),
  ...policyShape,
  /** Where a yes sends the call; per queue only, never in `defaults` (a seller may have its own). */
  transferTo: z.optional(transferTo),
};

/** A vendor's optional `baseUrl`, described with its default host. */
export function vendorBaseUrl(defaultUrl?: string, description = 'The vendor API host') {
  const text = `${description}: https://, or http:// on 127.0.0.1, localhost or [::1]; no credentials, query or fragment.`;
  const optional = z.optional(vendorUrl.check(z.describe(text)));
  return defaultUrl ? withPublishedDefault(optional, defaultUrl) : optional;
}

export { allOrNone, anyGroupOf, atLeastOneOf, described, exactlyOneOf, gateOnly, notTogether, withRules } from './object-rules';
