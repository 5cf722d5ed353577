/**
 * Vonage Contact Center (formerly NewVoiceMedia): agents availability (vendor-contracts.md section 3).
 */
import * as z from 'zod';
import { guid, queueBaseShape, vendorUrl } from '../config/fields';
import { VendorError } from '../errors';
import type { AdapterDeps, VendorAdapter } from './port';

export const vonageRegions = ['emea', 'nam', 'apac'] as const;

export const vonageQueueSchema = z
  .strictObject({
    ...queueBaseShape,
    vendor: z.literal('vonage'),
    region: z.enum(vonageRegions).optional(),
    baseUrl: vendorUrl.optional(),
    authUrl: vendorUrl.optional(),
    queueGuids: z.array(guid).min(1).optional(),
    groupGuids: z.array(guid).min(1).optional(),
    skillGuids: z.array(guid).min(1).optional(),
    liveness: z.enum(['live', 'semilive', 'nonlive']).optional(),
  })
  .superRefine((queue, ctx) => {
    // The vendor rejects groupGuids and queueGuids together (vendor-contracts.md section 3).
    if (queue.queueGuids && queue.groupGuids) {
      ctx.addIssue({ code: 'custom', path: ['groupGuids'], message: 'queueGuids and groupGuids must not be used together' });
    }
    if (!queue.region && !(queue.baseUrl && queue.authUrl)) {
      ctx.addIssue({ code: 'custom', path: ['region'], message: 'give region, or both baseUrl and authUrl' });
    }
  });
export type VonageQueue = z.output<typeof vonageQueueSchema>;

export const vonageSecretSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });
export type VonageSecret = z.output<typeof vonageSecretSchema>;

export function createVonageAdapter(_deps: AdapterDeps): VendorAdapter<VonageQueue, VonageSecret> {
  return {
    vendor: 'vonage',
    secretSchema: vonageSecretSchema,
    async check() {
      throw new VendorError('bad_request', 'vendor not supported yet: vonage');
    },
  };
}
