/**
 * The registered vendors: adding a vendor is its file (ending in its module object) plus one
 * entry here. Everything per-vendor elsewhere is derived from `vendorModules`.
 */
import type * as z from 'zod/mini';
import { aircallVendor } from './aircall';
import { alowareVendor } from './aloware';
import { amazonConnectVendor } from './amazon-connect';
import { calltoolsVendor } from './calltools';
import { convosoVendor } from './convoso';
import { koreaiVendor } from './koreai';
import type { AdapterDeps, VendorAdapter } from './port';
import type { StackIdentity, VendorIamStatement, VendorLimits, VendorModule } from './vendor-module';
import { twilioVendor } from './twilio';
import { vicidialVendor } from './vicidial';
import { vonageVendor } from './vonage';

/** Keyed by each module's name (checked below), in the order the JSON Schema lists them. */
export const vendorModules = {
  aloware: alowareVendor,
  koreai: koreaiVendor,
  vonage: vonageVendor,
  aircall: aircallVendor,
  calltools: calltoolsVendor,
  twilio: twilioVendor,
  convoso: convosoVendor,
  vicidial: vicidialVendor,
  'amazon-connect': amazonConnectVendor,
} as const;

export type VendorName = keyof typeof vendorModules;
type ModuleOf<V extends VendorName> = (typeof vendorModules)[V];
/** Vendor name to its queue config type (as its schema outputs it). */
type QueueTypes = { [V in VendorName]: z.output<ModuleOf<V>['queueSchema']> };
/** Vendor name to its secret type. */
type SecretTypes = { [V in VendorName]: z.output<ModuleOf<V>['secretSchema']> };
export type QueueOf<V extends VendorName> = QueueTypes[V];
export type SecretOf<V extends VendorName> = SecretTypes[V];
/** Any vendor's queue config. */
export type VendorQueue = QueueOf<VendorName>;

/** A registered module seen through the name-to-type maps above. */
export interface RegisteredVendor<V extends VendorName> extends Omit<
  VendorModule<V>,
  'queueSchema' | 'secretSchema' | 'createAdapter' | 'limits' | 'iamStatements'
> {
  readonly queueSchema: z.ZodMiniType<QueueOf<V>>;
  readonly secretSchema: z.ZodMiniType<SecretOf<V>>;
  createAdapter(deps: AdapterDeps): VendorAdapter<QueueOf<V>, SecretOf<V>>;
  readonly limits?: VendorLimits<QueueOf<V>>;
  iamStatements?(queue: QueueOf<V>, stack: StackIdentity): readonly VendorIamStatement[];
}

/**
 * The same modules through one mapped type, so that `modules[vendor]` with a generic `vendor`
 * keeps the name-to-type correlation (and a key that is not its module's name fails to compile).
 */
export type VendorModules = { readonly [V in VendorName]: RegisteredVendor<V> };
const modules: VendorModules = vendorModules;

export const vendorModuleList = Object.values(modules);
export const vendorNames: readonly VendorName[] = vendorModuleList.map((module) => module.name);

/** The queue schemas, as the non-empty list zod's discriminated union takes. */
export const vendorQueueSchemas = nonEmpty(Object.values(vendorModules).map((module) => module.queueSchema));

function nonEmpty<T>(items: readonly T[]): readonly [T, ...T[]] {
  const [first, ...rest] = items;
  if (first === undefined) throw new Error('no vendor is registered');
  return [first, ...rest];
}

/** One adapter per vendor, each typed for its own queues and secret. */
export type VendorAdapters = { readonly [V in VendorName]: VendorAdapter<QueueOf<V>, SecretOf<V>> };

/**
 * What the gate holds per vendor: it picks the adapter by `queue.vendor`, so each adapter only
 * ever sees its own vendor's queues and parses the secret with its own `secretSchema`.
 */
export type AnyVendorAdapter = VendorAdapter<VendorQueue, unknown>;

export function vendorModule<V extends VendorName>(vendor: V): VendorModules[V] {
  return modules[vendor];
}

/**
 * The key of a queue's vendor budget and Retry-After blocks (README,
 * "Shared state across containers"): its secret's name, unless its vendor keys its limits
 * otherwise (Amazon Connect: `amazon-connect:<region>`, one bucket per account and Region).
 */
export function limitKeyOf<V extends VendorName>(queue: QueueOf<V> & { vendor: V }): string {
  const limits: VendorLimits<QueueOf<V>> | undefined = modules[queue.vendor].limits;
  if (limits) return limits.key(queue);
  if (queue.secret === undefined) throw new Error(`queue "${queue.id}" has neither a secret nor a vendor limit key`);
  return queue.secret;
}

/** The AWS permissions the stack grants for reading `queue` (vendor-module.ts, `iamStatements`). */
export function iamStatementsOf<V extends VendorName>(queue: QueueOf<V> & { vendor: V }, stack: StackIdentity): readonly VendorIamStatement[] {
  return modules[queue.vendor].iamStatements?.(queue, stack) ?? [];
}

/** The keys `vendorBudgets` accepts besides secret names, with how each is written. */
export const limitKeyForms: ReadonlyArray<Pick<VendorLimits<never>, 'keyPattern' | 'keyForm'>> = vendorModuleList.flatMap((module) =>
  module.limits ? [module.limits] : [],
);

function adapterFor<V extends VendorName>(vendor: V, deps: AdapterDeps): VendorAdapter<QueueOf<V>, SecretOf<V>> {
  return modules[vendor].createAdapter(deps);
}

/** One adapter per vendor, shared by all of that vendor's queues (token caches live there). */
export function createVendorAdapters(deps: AdapterDeps): VendorAdapters {
  const entries = vendorNames.map((vendor) => [vendor, adapterFor(vendor, deps)] as const);
  // Object.fromEntries forgets which adapter belongs to which key; both come from `vendorNames`.
  return Object.fromEntries(entries) as VendorAdapters;
}
