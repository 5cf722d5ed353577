/** Vendor adapters whose answers the test scripts, for the gate core. */
import * as z from 'zod/mini';
import type { Availability, VendorAdapter, VendorCheckRequest } from '../../shared/vendors/port';
import { type VendorName, type VendorQueue, vendorNames } from '../../shared/vendors/registry';

export type CheckImpl = (request: VendorCheckRequest<VendorQueue, { apiToken: string }>) => Promise<Availability>;

export interface FakeAdapter extends VendorAdapter<VendorQueue, { apiToken: string }> {
  check: jest.Mock<Promise<Availability>, [VendorCheckRequest<VendorQueue, { apiToken: string }>]>;
}

export const fakeSecretSchema = z.object({ apiToken: z.string().check(z.minLength(1)) });

export function fakeAdapter(vendor: string, impl: CheckImpl = async () => ({ available: 1 })): FakeAdapter {
  return { vendor, secretSchema: fakeSecretSchema, check: jest.fn(impl) };
}

/** One fake adapter per vendor; each answers `impl` until the test changes it. */
export function fakeAdapters(impl?: CheckImpl): Record<VendorName, FakeAdapter> {
  const adapters = {} as Record<VendorName, FakeAdapter>;
  for (const name of vendorNames) adapters[name] = fakeAdapter(name, impl);
  return adapters;
}
