/**
 * Callers (docs/operators/callers-and-keys.md): keys are stored only as SHA-256 hashes and compared in
 * constant time; a caller is named in logs, its key never is.
 */
import { createHash, hash, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { type Payout, payoutSchema, transferTo } from './config/destinations';
import './zod-locale';
import { queueIdPattern } from './config/fields';
import { parseSecretWith, printableIssue } from './secrets';

/** A map keyed by queue id: a seller's own destination or payout per queue (docs/callers/routes-and-destinations.md). */
const byQueueId = <T extends z.core.SomeType>(value: T) => z.record(z.string().check(z.regex(queueIdPattern, 'must be a queue id')), value);

const limitCount = z.number().check(z.int(), z.minimum(0));

export const sellerLimitsSchema = z.strictObject({
  /** Holds standing at once over all queues (at most 100: each is a slot in the state table). */
  maxHolds: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(100))),
  /** Transfers (holds placed) per UTC clock hour / UTC calendar day, over all queues. */
  transfersPerHour: z.optional(limitCount),
  transfersPerDay: z.optional(limitCount),
  /** Availability requests per UTC minute, across all containers. */
  pingsPerMinute: z.optional(z.number().check(z.int(), z.minimum(1))),
});
export type SellerLimits = z.output<typeof sellerLimitsSchema>;

/**
 * One caller in the callers secret. Strict (docs/operators/callers-and-keys.md): a mistyped field such as `admn`
 * is refused when the secret is loaded, not silently ignored. New caller fields go here.
 */
export const callerShape = {
  name: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,64}$/)),
  keySha256: z.string().check(z.regex(/^[0-9a-fA-F]{64}$/)),
  /** Queue and route ids this caller may see, or `*` for all; each must be an id the loaded config knows. */
  queues: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  /** May set, show and end overrides (docs/operators/hours-and-overrides.md). */
  admin: z.optional(z.boolean()),
  /** This seller's own number (a tracking number) per queue id; replaces the queue's `transferTo`. */
  transferTo: z.optional(byQueueId(transferTo)),
  /** This seller's own payout terms per queue id; replace the queue's `payout` whole. */
  payout: z.optional(byQueueId(payoutSchema)),
  /** The seller's limits (docs/operators/limits.md): transfers over all its queues, and pings. */
  limits: z.optional(sellerLimitsSchema),
};

export const callersSecretSchema = z.strictObject({ callers: z.array(z.strictObject(callerShape)) });

export interface Caller {
  name: string;
  /** Queue and route ids this caller may see; `*` means all. */
  queues: ReadonlySet<string>;
  keyHash: Buffer;
  /** `"admin": true` in the callers secret: may use the override routes of the queues it may see. */
  admin?: boolean;
  /** Per queue id: this seller's destination and payout, in place of the queue's. */
  transferTo?: Readonly<Record<string, string>>;
  payout?: Readonly<Record<string, Payout>>;
  /** Set only when the entry names at least one limit. */
  limits?: SellerLimits;
}

type CallersSecret = z.output<typeof callersSecretSchema>;

/**
 * The callers secret's schema for one loaded config: also refuses a queue id that `knownIds`
 * (the config's queue ids, and whatever else a caller may be granted) does not hold, at its path.
 */
export function callersSecretSchemaFor(knownIds: ReadonlySet<string>) {
  return callersSecretSchema.check(
    z.superRefine((secret: CallersSecret, ctx) => {
      secret.callers.forEach((caller, index) =>
        caller.queues.forEach((id, position) => {
          if (id === '*' || knownIds.has(id)) return;
          ctx.addIssue({ code: 'custom', path: ['callers', index, 'queues', position], message: unknownQueueMessage(id, knownIds), params: printableIssue });
        }),
      );
    }),
  );
}

function unknownQueueMessage(id: string, knownIds: ReadonlySet<string>): string {
  const known = [...knownIds].sort();
  const listed = known.length <= 10 ? known.map((known) => `"${known}"`).join(', ') : `${known.length} ids`;
  // A queue id is config, not a credential; anything else that is not an id is not printed.
  const shown = queueIdPattern.test(id) ? `"${id}"` : 'a value that is not a queue id';
  return `unknown queue ${shown} (known: ${listed || 'none'})`;
}

/** Parses the callers secret; used with SecretStore.get so the result is cached with the secret. */
export function parseCallers(json: unknown, secretName: string): Caller[] {
  return toCallers(parseCallersSecret(json, secretName));
}

/** `parseCallers` that also checks each queue id against `knownIds`; make it once per runtime (SecretStore caches per parser). */
export function callersParser(knownIds: ReadonlySet<string>): (json: unknown, secretName: string) => Caller[] {
  const parse = parseSecretWith(callersSecretSchemaFor(knownIds));
  return (json, secretName) => toCallers(parse(json, secretName));
}

const parseCallersSecret = parseSecretWith(callersSecretSchema);

function toCallers(secret: CallersSecret): Caller[] {
  return secret.callers.map((caller) => ({
    name: caller.name,
    queues: new Set(caller.queues),
    keyHash: Buffer.from(caller.keySha256, 'hex'),
    admin: caller.admin === true,
    ...(caller.transferTo && { transferTo: caller.transferTo }),
    ...(caller.payout && { payout: caller.payout }),
    ...(caller.limits && Object.keys(caller.limits).length > 0 && { limits: caller.limits }),
  }));
}

/**
 * The hex SHA-256 of a key. One-shot `crypto.hash` (Node 20.12+) where there is one: about a
 * third of the createHash chain's CPU, which the cached answer pays per request (docs/contributors/benchmarks.md#what-each-step-bought).
 */
export const hashKey: (key: string) => string =
  typeof hash === 'function' ? (key) => hash('sha256', key, 'hex') : (key) => createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * Callers by the hex SHA-256 of their key, built once per parsed callers list (which the
 * SecretStore caches with the secret) and dropped with it. First caller wins a shared key.
 */
const indexes = new WeakMap<readonly Caller[], ReadonlyMap<string, Caller>>();

function indexOf(callers: readonly Caller[]): ReadonlyMap<string, Caller> {
  let index = indexes.get(callers);
  if (!index) {
    const byHash = new Map<string, Caller>();
    for (const caller of callers) {
      const hex = caller.keyHash.toString('hex');
      if (!byHash.has(hex)) byHash.set(hex, caller);
    }
    index = byHash;
    indexes.set(callers, index);
  }
  return index;
}

/**
 * One map lookup, whatever the number of callers. The map is keyed by the SHA-256 of the key, a
 * uniform value: how long the lookup takes says nothing usable about any stored key. The match is
 * confirmed with a constant-time compare; a miss makes the same compare, against itself.
 */
export function findCaller(callers: readonly Caller[], key: string): Caller | undefined {
  const hex = hashKey(key);
  const presented = Buffer.from(hex, 'hex');
  const candidate = indexOf(callers).get(hex);
  const equal = timingSafeEqual(presented, candidate?.keyHash ?? presented);
  return candidate && equal ? candidate : undefined;
}

export function mayAccess(caller: Caller, queueId: string): boolean {
  return caller.queues.has('*') || caller.queues.has(queueId);
}

/**
 * The key, from whichever of the four places the caller used: `x-api-key`, `Authorization:
 * Bearer`, HTTP Basic (the password; the user name when the password is empty), `?api_key=`.
 * `headers` must have lower-case names.
 */
export function presentedKey(headers: Record<string, string | undefined>, query: Record<string, string | undefined>): string | undefined {
  const apiKey = headers['x-api-key']?.trim();
  if (apiKey) return apiKey;
  const authorization = headers['authorization']?.trim() ?? '';
  const [scheme, credentials] = authorization.split(/\s+/, 2);
  if (credentials && scheme?.toLowerCase() === 'bearer') return credentials;
  if (credentials && scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const password = colon >= 0 ? decoded.slice(colon + 1) : '';
    const key = password || (colon >= 0 ? decoded.slice(0, colon) : decoded);
    if (key) return key;
  }
  const queryKey = query['api_key']?.trim();
  return queryKey || undefined;
}
