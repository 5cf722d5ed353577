/**
 * What registers a vendor: one module object per vendor file, collected in registry.ts. Everything
 * vendor-shaped elsewhere (config union, JSON Schema, adapters, answer schema, simulators, test
 * lists) is derived from the registered modules, so adding a vendor touches no other list.
 */
import type * as z from 'zod/mini';
import type { AdapterDeps, VendorAdapter } from './port';

/** A queue schema the config union can discriminate on `vendor`. */
export type VendorQueueSchema<Name extends string = string> = z.ZodMiniObject<{ vendor: z.ZodMiniLiteral<Name> } & z.core.$ZodShape>;

export interface VendorModule<Name extends string = string, QueueSchema extends VendorQueueSchema<Name> = VendorQueueSchema<Name>, Secret = unknown> {
  /** The `vendor` value in gate.config.json, and the key in every per-vendor table. */
  readonly name: Name;
  /** The queue's config: strict, with `vendor: z.literal(name)`. */
  readonly queueSchema: QueueSchema;
  /** The secret's JSON (docs/operators/vendors/<name>.md). */
  readonly secretSchema: z.ZodMiniType<Secret>;
  /** One adapter per vendor per container (token caches live in it). */
  createAdapter(deps: AdapterDeps): VendorAdapter<z.output<QueueSchema>, Secret>;
  readonly defaults: VendorDefaults;
  /**
   * Answer fields this vendor may add through `Availability.extras`, with their schemas; they
   * appear in the answer after the agent counts and are described in openapi.json.
   */
  readonly answerExtras: Readonly<Record<string, z.ZodMiniType>>;
  /**
   * Optional: a warning `npm run check` prints when a successful answer looks like a configuration
   * mistake the vendor does not report as an error (VICIdial: an unknown in-group answers zeros).
   */
  checkAdvice?(counts: { available: number; total?: number }): string | undefined;
  /**
   * Where a vendor's budget and Retry-After blocks are not per secret (Amazon Connect: per account
   * and Region): the key of a queue's limits, and the pattern such keys match in `vendorBudgets`.
   * Absent: the queue's `secret`.
   */
  readonly limits?: VendorLimits<z.output<QueueSchema>>;
  /**
   * AWS permissions the functions' role needs to read a queue (Amazon Connect), scoped to that
   * queue's resources: the stack grants exactly these. Absent: none.
   */
  iamStatements?(queue: z.output<QueueSchema>, stack: StackIdentity): readonly VendorIamStatement[];
  /**
   * AWS SDK packages only this vendor's adapter loads, at its first check (Amazon Connect: the
   * Connect and STS clients): the function bundles of a config that names none of its queues leave
   * them out (infra/bundle-aliases.ts).
   */
  readonly sdkPackages?: readonly string[];
}

export interface VendorLimits<Queue> {
  key(queue: Queue): string;
  readonly keyPattern: RegExp;
  /** How the key is written, for the config's error message and JSON Schema description. */
  readonly keyForm: string;
}

/** The deploying stack's account and partition (CDK tokens at synth). */
export interface StackIdentity {
  readonly account: string;
  readonly partition: string;
}

export interface VendorIamStatement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

export interface VendorDefaults {
  /**
   * Vendor requests per UTC minute the gate spends per limit key (a secret, or `limits.key`) when the config sets no budget
   * (gate-contract.md section 6); absent: no cap.
   */
  readonly callsPerMinute?: number;
  /**
   * The shortest `cacheTtlMs` this vendor's queues may have, their own or the one `defaults`
   * gives them (a config rule, checked when the config is parsed); absent: no floor.
   */
  readonly minCacheTtlMs?: number;
}
