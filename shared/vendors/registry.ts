/**
 * The list of vendors. Adding a vendor is one adapter file plus one line in each list here.
 */
import { alowareQueueSchema, createAlowareAdapter } from './aloware';
import { aircallQueueSchema, createAircallAdapter } from './aircall';
import { calltoolsQueueSchema, createCalltoolsAdapter } from './calltools';
import { koreaiQueueSchema, createKoreaiAdapter } from './koreai';
import type { AdapterDeps, VendorAdapter } from './port';
import { vonageQueueSchema, createVonageAdapter } from './vonage';

export const vendorQueueSchemas = [
  alowareQueueSchema,
  koreaiQueueSchema,
  vonageQueueSchema,
  aircallQueueSchema,
  calltoolsQueueSchema,
] as const;

export const vendorNames = ['aloware', 'koreai', 'vonage', 'aircall', 'calltools'] as const;
export type VendorName = (typeof vendorNames)[number];

const adapterFactories: Record<VendorName, (deps: AdapterDeps) => VendorAdapter<any, any>> = {
  aloware: createAlowareAdapter,
  koreai: createKoreaiAdapter,
  vonage: createVonageAdapter,
  aircall: createAircallAdapter,
  calltools: createCalltoolsAdapter,
};

/** One adapter per vendor, shared by all of that vendor's queues (token caches live there). */
export function createVendorAdapters(deps: AdapterDeps): Record<VendorName, VendorAdapter<any, any>> {
  const adapters = {} as Record<VendorName, VendorAdapter<any, any>>;
  for (const name of vendorNames) adapters[name] = adapterFactories[name](deps);
  return adapters;
}
