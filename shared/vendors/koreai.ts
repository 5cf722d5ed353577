/**
 * Kore.ai XO contact center (AgentAssist): check agent availability (docs/operators/vendors/koreai.md).
 * Auth is a short-lived HS256 JWT the gate signs itself with the JWT app's client secret, a fresh
 * one (new iat, new random jti) for every request: Kore rejects a reused jti where the app enforces
 * JTI (docs/operators/vendors/koreai.md). Errors map by status through the shared HTTP client:
 * 401 `{"errors":[{"msg":"Invalid SDK credentials","code":4002}]}` (bad JWT, missing scope and an
 * unknown bot alike) is `auth`, 412 (validation) is `bad_request`.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import '../zod-locale';
import { described, nonEmptyId, queueBaseShape, vendorBaseUrl } from '../config/fields';
import { VendorError } from '../errors';
import { vendorEndpoint } from './http-client';
import type { AdapterDeps, Availability, VendorAdapter } from './port';
import type { VendorModule } from './vendor-module';

export const koreaiDefaultBaseUrl = 'https://platform.kore.ai';

export const koreaiQueueSchema = z.strictObject({
  ...queueBaseShape,
  vendor: described(z.literal('koreai'), 'The platform this queue lives in: Kore.ai XO contact center (AgentAssist).'),
  // Goes into the URL path: only the characters Kore bot ids use.
  botId: described(
    z.string().check(z.regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a bot id such as st-123')),
    "The Bot ID / Stream ID (st-...), on the app's App Settings page.",
  ),
  queueIds: z.optional(
    described(z.array(nonEmptyId).check(z.minLength(1)), 'XO contact center queue ids (qu-...) whose agents count; none: every agent of the bot.'),
  ),
  skillIds: z.optional(described(z.array(nonEmptyId).check(z.minLength(1)), 'Skill ids to filter the agents by.')),
  agentIds: z.optional(described(z.array(nonEmptyId).check(z.minLength(1)), 'Agent ids to filter the agents by.')),
  baseUrl: vendorBaseUrl(koreaiDefaultBaseUrl, 'The Kore.ai platform host (also https://jp-platform.kore.ai, https://de-platform.kore.ai or a dedicated host)'),
});
export type KoreaiQueue = z.output<typeof koreaiQueueSchema>;

export const koreaiSecretSchema = z.object({
  clientId: z.string().check(z.minLength(1)),
  clientSecret: z.string().check(z.minLength(1)),
  accountId: z.string().check(z.minLength(1)),
});
export type KoreaiSecret = z.output<typeof koreaiSecretSchema>;

// Agent records are personal data (names, e-mails, phone numbers): counted, never parsed.
const koreaiAgentList = z.optional(z.array(z.unknown()));
export const koreaiAvailabilityBodySchema = z
  .object({ AVAILABLE: koreaiAgentList, BUSY: koreaiAgentList, OFFLINE: koreaiAgentList, AWAY: koreaiAgentList })
  // A missing list counts as empty, but a body with none of them is not an availability answer.
  .check(
    z.refine((body) => Object.values(body).some((list) => list !== undefined), {
      message: 'needs at least one of AVAILABLE, BUSY, OFFLINE, AWAY',
    }),
  );
export type KoreaiAvailabilityBody = z.output<typeof koreaiAvailabilityBodySchema>;

export function toKoreaiAvailability(body: KoreaiAvailabilityBody): Availability {
  const available = body.AVAILABLE?.length ?? 0;
  const busy = body.BUSY?.length ?? 0;
  const away = body.AWAY?.length ?? 0;
  const offline = body.OFFLINE?.length ?? 0;
  return { available, busy, away, offline, total: available + busy + away + offline };
}

export type KoreaiFilterField = 'queueIds' | 'skillIds' | 'agentIds';
export type KoreaiAvailabilityRequest = Partial<Record<KoreaiFilterField, string[]>>;

/** Only the filters the queue names (the vendor's sample body, with its trailing comma, is not JSON). */
export function koreaiRequestBody(queue: KoreaiQueue): KoreaiAvailabilityRequest {
  const body: KoreaiAvailabilityRequest = {};
  for (const field of ['queueIds', 'skillIds', 'agentIds'] as const) {
    const ids = queue[field];
    if (ids) body[field] = ids;
  }
  return body;
}

export const koreaiJwtSubject = 'transfer-gate';
/** Short on purpose: each token serves one request (docs/operators/vendors/koreai.md). */
export const koreaiJwtLifetimeSeconds = 300;

/** HS256, claim `appId` = client id (exactly that name) [doc]; sub, iat, exp and a random jti by decision. */
export async function signKoreaiJwt(secret: KoreaiSecret, nowMs: number): Promise<{ token: string; expiresAtMs: number }> {
  const issuedAt = Math.floor(nowMs / 1000);
  const expiresAt = issuedAt + koreaiJwtLifetimeSeconds;
  // Loaded at the first signing: no other vendor's container pays for evaluating jose at cold start.
  const { SignJWT } = await import('./koreai-jwt');
  try {
    const token = await new SignJWT({ appId: secret.clientId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(koreaiJwtSubject)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(new TextEncoder().encode(secret.clientSecret));
    return { token, expiresAtMs: expiresAt * 1000 };
  } catch {
    // jose's message says nothing useful to a caller and the secret must not travel with it.
    throw new VendorError('auth', 'could not sign the Kore.ai JWT with the client secret');
  }
}

export function koreaiAvailabilityUrl(queue: KoreaiQueue): URL {
  return vendorEndpoint(queue.baseUrl ?? koreaiDefaultBaseUrl, `/agentassist/api/v1/public/${encodeURIComponent(queue.botId)}/agents/availability`);
}

export function createKoreaiAdapter({ http, now = Date.now }: AdapterDeps): VendorAdapter<KoreaiQueue, KoreaiSecret> {
  return {
    vendor: 'koreai',
    secretSchema: koreaiSecretSchema,
    async check({ queue, secret, signal, http: client = http }) {
      // Never cached: a JWT app with "Enforce JTI" on refuses a token whose jti it has seen (docs/operators/vendors/koreai.md).
      const { token } = await signKoreaiJwt(secret, now());
      // The raw JWT in `auth`, no Bearer prefix; the account in `accountId` [doc].
      const headers = { auth: token, accountId: secret.accountId, Accept: 'application/json' };
      const request = { url: koreaiAvailabilityUrl(queue), method: 'POST' as const, headers, json: koreaiRequestBody(queue), signal };
      const response = await client.requestJson(request, koreaiAvailabilityBodySchema);
      return toKoreaiAvailability(response.body);
    },
  };
}

/** This vendor's registration (vendor-module.ts; listed in registry.ts). */
export const koreaiVendor = {
  name: 'koreai',
  queueSchema: koreaiQueueSchema,
  secretSchema: koreaiSecretSchema,
  createAdapter: createKoreaiAdapter,
  defaults: { callsPerMinute: 30 },
  answerExtras: {},
} as const satisfies VendorModule;
