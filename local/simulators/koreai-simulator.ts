/**
 * Kore.ai XO contact center agent availability (docs/operators/vendors/koreai.md): an HS256 JWT in
 * the `auth` header (raw, no Bearer) verified with the JWT app's client secret, the account in
 * `accountId`, a JSON body of string-array filters, and the documented AVAILABLE/BUSY/OFFLINE/AWAY
 * lists of full agent records. Errors as Kore's platform answers them (docs/operators/vendors/koreai.md):
 * 401 `{"errors":[{"msg":"Invalid SDK credentials","code":4002}]}` for a bad, reused (JTI enforced)
 * or missing JWT, another account and an unknown bot alike; 412 for a body that fails validation.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { jwtVerify } from 'jose';
import * as z from 'zod/mini';
import '../../shared/zod-locale';
import { type SimAgent, type SimResponse, type SimulatorOptions, type VendorSimulator, startSimulator } from './simulator';

export interface KoreaiSimulatorOptions extends SimulatorOptions {
  clientId: string;
  clientSecret: string;
  accountId: string;
  /** Bots (streams) that exist; others answer 404. */
  botIds?: string[];
}

const availabilityPath = /^\/agentassist\/api\/v1\/public\/([^/]+)\/agents\/availability$/;

const koreaiFilterBody = z.strictObject({
  queueIds: z.optional(z.array(z.string())),
  skillIds: z.optional(z.array(z.string())),
  agentIds: z.optional(z.array(z.string())),
});

const listByStatus: Record<SimAgent['status'], 'AVAILABLE' | 'BUSY' | 'AWAY' | 'OFFLINE'> = {
  available: 'AVAILABLE',
  busy: 'BUSY',
  away: 'AWAY',
  offline: 'OFFLINE',
};

/** One agent as the vendor documents it: every field personal data the gate must never pass on. */
export function koreaiAgentRecord(agent: SimAgent) {
  return {
    _id: `a-${agent.id}`,
    userId: `u-${agent.id}`,
    firstName: agent.firstName,
    lastName: agent.lastName,
    emailId: agent.email,
    customId: `${agent.firstName}-${agent.id}`,
    phoneNumber: agent.phone,
  };
}

export function koreaiAvailabilityBody(agents: SimAgent[]) {
  const body = { AVAILABLE: [] as object[], BUSY: [] as object[], OFFLINE: [] as object[], AWAY: [] as object[] };
  for (const agent of agents) body[listByStatus[agent.status]].push(koreaiAgentRecord(agent));
  return body;
}

const unauthorized: SimResponse = { status: 401, json: { errors: [{ msg: 'Invalid SDK credentials', code: 4002 }] } };

/** jti values already accepted, until their token expires: the app's "Enforce JTI" is on here. */
class SeenJtis {
  private readonly expiries = new Map<string, number>();

  /** False when `jti` was seen before (a replay); otherwise remembers it until `expiresAtMs`. */
  accept(jti: string, expiresAtMs: number): boolean {
    const now = Date.now();
    for (const [seen, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(seen);
    if (this.expiries.has(jti)) return false;
    this.expiries.set(jti, expiresAtMs);
    return true;
  }
}

/** The JWT the gate signs: HS256 only, signed with the client secret, `appId` = client id, iat, a future exp and an unseen jti. */
async function verifyToken(headers: IncomingHttpHeaders, options: KoreaiSimulatorOptions, jtis: SeenJtis): Promise<boolean> {
  const token = String(headers.auth ?? '');
  // The vendor wants the raw token; a "Bearer ..." value is not a JWT and fails like one.
  if (!token || /^bearer\s/i.test(token)) return false;
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(options.clientSecret), {
      algorithms: ['HS256'],
      requiredClaims: ['iat', 'exp', 'appId', 'jti'],
    });
    return payload.appId === options.clientId && jtis.accept(String(payload.jti), payload.exp! * 1000);
  } catch {
    return false;
  }
}

function parseFilters(text: string): z.output<typeof koreaiFilterBody> | undefined {
  try {
    const parsed = koreaiFilterBody.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function startKoreaiSimulator(options: KoreaiSimulatorOptions): Promise<VendorSimulator> {
  const botIds = new Set(options.botIds ?? ['st-123']);
  const jtis = new SeenJtis();
  return startSimulator(
    {
      vendor: 'koreai',
      async handle({ method, url, headers, body }, simulator) {
        const match = availabilityPath.exec(url.pathname);
        if (method !== 'POST' || !match) return undefined;
        if (!(await verifyToken(headers, options, jtis))) return unauthorized;
        // Another account and an unknown bot answer like a bad JWT on Kore's platform.
        if (headers.accountid !== options.accountId || !botIds.has(decodeURIComponent(match[1]!))) return unauthorized;
        if (!String(headers['content-type'] ?? '').startsWith('application/json') || !parseFilters(body)) {
          return { status: 412, json: { errors: [{ msg: 'Invalid request body: skillIds, queueIds, agentIds must be arrays of strings', code: 412 }] } };
        }
        // Every simulated agent serves every queue, skill and agent filter.
        return { status: 200, json: koreaiAvailabilityBody(simulator.agents) };
      },
      failure: { '401': () => unauthorized, '403': () => unauthorized },
    },
    options,
  );
}
