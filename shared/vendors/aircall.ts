/**
 * Aircall public REST API: users' live availability (vendor-contracts.md section 4).
 */
import * as z from 'zod';
import { exactlyOneOf, numericId, queueBaseShape, vendorUrl } from '../config/fields';
import { VendorError } from '../errors';
import type { AdapterDeps, VendorAdapter } from './port';

export const aircallQueueSchema = z
  .strictObject({
    ...queueBaseShape,
    vendor: z.literal('aircall'),
    teamId: numericId.optional(),
    userIds: z.array(numericId).min(1).max(1000).optional(),
    baseUrl: vendorUrl.optional(),
  })
  .superRefine(exactlyOneOf(['teamId', 'userIds']));
export type AircallQueue = z.output<typeof aircallQueueSchema>;

export const aircallSecretSchema = z.object({ apiId: z.string().min(1), apiToken: z.string().min(1) });
export type AircallSecret = z.output<typeof aircallSecretSchema>;

export function createAircallAdapter(_deps: AdapterDeps): VendorAdapter<AircallQueue, AircallSecret> {
  return {
    vendor: 'aircall',
    secretSchema: aircallSecretSchema,
    async check() {
      throw new VendorError('bad_request', 'vendor not supported yet: aircall');
    },
  };
}
