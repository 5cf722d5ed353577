/**
 * Vonage Contact Center (docs/operators/vendors/vonage.md) on one port: the OAuth2 client-credentials
 * token endpoint (IdentityServer style: 400 `{"error":"invalid_client"}`) and
 * `POST /agents-availability`, which needs a live bearer token and the vendor media type.
 * `expireTokens()` or `POST /__sim/expire-tokens` makes every issued token answer 401, so that the
 * adapter's refresh can be exercised.
 */
import { randomBytes } from 'node:crypto';
import { type SimRequest, type SimResponse, type SimulatorOptions, type VendorSimulator, agentsWith, startSimulator } from './simulator';

export interface VonageSimulatorOptions extends SimulatorOptions {
  clientId: string;
  clientSecret: string;
  /** `expires_in` of issued tokens, in seconds (default 7200, as documented). */
  tokenLifetimeSeconds?: number;
}

export interface VonageSimulator extends VendorSimulator {
  /** Every token issued so far answers 401 from now on. */
  expireTokens(): void;
}

export const vonageSimMediaType = 'application/vnd.newvoicemedia.v1+json';
const requiredScope = 'agents-availability:read';
const guidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Token -> epoch ms at which it expires. */
type IssuedTokens = Map<string, number>;

function oauthError(error: string): SimResponse {
  return { status: 400, json: { error } };
}

function issueToken({ headers, body }: SimRequest, options: VonageSimulatorOptions, tokens: IssuedTokens): SimResponse {
  if (!String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return oauthError('invalid_request');
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'client_credentials') return oauthError('unsupported_grant_type');
  if (form.get('client_id') !== options.clientId || form.get('client_secret') !== options.clientSecret) return oauthError('invalid_client');
  if (!(form.get('scope') ?? '').split(' ').includes(requiredScope)) return oauthError('invalid_scope');
  const expiresIn = options.tokenLifetimeSeconds ?? 7200;
  const token = randomBytes(24).toString('base64url');
  for (const [issued, expiresAt] of tokens) if (expiresAt <= Date.now()) tokens.delete(issued);
  tokens.set(token, Date.now() + expiresIn * 1000);
  return { status: 200, json: { access_token: token, expires_in: expiresIn, token_type: 'Bearer', scope: requiredScope } };
}

/** What the vendor's 400 would complain about, if anything. */
function queryProblem(body: string): string | undefined {
  let query: unknown;
  try {
    query = JSON.parse(body);
  } catch {
    return 'The request body must be JSON.';
  }
  if (!query || typeof query !== 'object' || Array.isArray(query)) return 'The request body must be a JSON object.';
  const fields = query as Record<string, unknown>;
  if (fields.queueGuids !== undefined && fields.groupGuids !== undefined) return 'queueGuids and groupGuids cannot be used together.';
  for (const name of ['queueGuids', 'groupGuids', 'skillGuids']) {
    const value = fields[name];
    if (value !== undefined && !(Array.isArray(value) && value.every((item) => typeof item === 'string' && guidPattern.test(item)))) {
      return `${name} must be an array of GUIDs.`;
    }
  }
  if (fields.liveness !== undefined && !['live', 'semilive', 'nonlive'].includes(fields.liveness as string))
    return 'liveness must be live, semilive or nonlive.';
  return undefined;
}

/** The documented body. Busy agents are Ready but have no free capacity; away agents alternate Away/ExtendedAway. */
export function vonageAvailabilityBody(simulator: VendorSimulator) {
  const [available, busy, away, offline] = (['available', 'busy', 'away', 'offline'] as const).map((status) => agentsWith(simulator, status).length) as [
    number,
    number,
    number,
    number,
  ];
  return {
    presenceSummary: { Ready: available + busy, Away: Math.ceil(away / 2), ExtendedAway: Math.floor(away / 2), LoggedOut: offline },
    availabilitySummary: { available, incompatiblePresence: away + offline, insufficientCapacity: busy },
  };
}

function answerAvailability({ headers, body }: SimRequest, simulator: VendorSimulator, tokens: IssuedTokens): SimResponse {
  const token = /^Bearer (\S+)$/.exec(String(headers.authorization ?? ''))?.[1];
  const expiresAt = token === undefined ? undefined : tokens.get(token);
  if (expiresAt === undefined || expiresAt <= Date.now()) {
    return { status: 401, text: '', headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } };
  }
  if (!String(headers.accept ?? '').includes(vonageSimMediaType)) return { status: 406, json: { message: `Accept must be ${vonageSimMediaType}.` } };
  if (!String(headers['content-type'] ?? '').includes('application/json')) return { status: 415, json: { message: 'Content-Type must be application/json.' } };
  const problem = queryProblem(body);
  if (problem) return { status: 400, json: { message: problem } };
  return { status: 200, json: vonageAvailabilityBody(simulator), contentType: vonageSimMediaType };
}

export async function startVonageSimulator(options: VonageSimulatorOptions): Promise<VonageSimulator> {
  const tokens: IssuedTokens = new Map();
  const expireTokens = () => {
    for (const token of tokens.keys()) tokens.set(token, 0);
  };
  const simulator = await startSimulator(
    {
      vendor: 'vonage',
      handle(request, current) {
        if (request.method !== 'POST') return undefined;
        if (request.url.pathname === '/Auth/connect/token') return issueToken(request, options, tokens);
        if (request.url.pathname === '/agents-availability') return answerAvailability(request, current, tokens);
        return undefined;
      },
      control(path) {
        if (path !== '/__sim/expire-tokens') return false;
        expireTokens();
        return true;
      },
    },
    options,
  );
  return Object.assign(simulator, { expireTokens });
}
