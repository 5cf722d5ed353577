/**
 * Kore.ai XO contact center (AgentAssist): check agent availability (vendor-contracts.md section 2).
 */
import * as z from 'zod';
import { nonEmptyId, queueBaseShape, vendorUrl } from '../config/fields';
import { VendorError } from '../errors';
import type { AdapterDeps, VendorAdapter } from './port';

export const koreaiQueueSchema = z.strictObject({
  ...queueBaseShape,
  vendor: z.literal('koreai'),
  // Goes into the URL path: only the characters Kore bot ids use.
  botId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a bot id such as st-123'),
  queueIds: z.array(nonEmptyId).min(1).optional(),
  skillIds: z.array(nonEmptyId).min(1).optional(),
  agentIds: z.array(nonEmptyId).min(1).optional(),
  baseUrl: vendorUrl.optional(),
});
export type KoreaiQueue = z.output<typeof koreaiQueueSchema>;

export const koreaiSecretSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  accountId: z.string().min(1),
});
export type KoreaiSecret = z.output<typeof koreaiSecretSchema>;

export function createKoreaiAdapter(_deps: AdapterDeps): VendorAdapter<KoreaiQueue, KoreaiSecret> {
  return {
    vendor: 'koreai',
    secretSchema: koreaiSecretSchema,
    async check() {
      throw new VendorError('bad_request', 'vendor not supported yet: koreai');
    },
  };
}
