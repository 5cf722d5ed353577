/**
 * Aircall public REST API (docs/operators/vendors/aircall.md): HTTP Basic `apiId:apiToken` (none or
 * wrong: 403, as a request without credentials was seen answering), teams, the paginated live
 * availabilities list with absolute `next_page_link`s (every other available agent `on_mobile`),
 * one user's availability, and the company-wide rate limit with `X-AircallApi-*` headers on the
 * last allowed answer (`Remaining: 0`) and on a 429.
 * The company is the simulator's agents (members of every team) plus optional non-member users,
 * listed first and all `available`, so that a walk must page and counting a non-member shows.
 */
import { type SimAgent, type SimResponse, type SimulatorOptions, type VendorSimulator, startSimulator } from './simulator';

export interface AircallCompany {
  /** Users in no team, listed before the agents (default 0). */
  extraUsers?: number;
  /** Company-wide budget: `limit` calls per `windowMs` (default 120 per 60 s, Aircall's figure). */
  rateLimit?: { limit: number; windowMs?: number };
}

export interface AircallSimulatorOptions extends SimulatorOptions, AircallCompany {
  apiId: string;
  apiToken: string;
  /** Teams that exist, each with every simulator agent as a member (default ["42"]). */
  teamIds?: string[];
}

export interface AircallSimulator extends VendorSimulator {
  /** Changes the company's size or budget and starts a fresh rate-limit window. */
  setCompany(company: AircallCompany): void;
}

export function isAircallSimulator(simulator: VendorSimulator | undefined): simulator is AircallSimulator {
  return simulator?.vendor === 'aircall' && 'setCompany' in simulator;
}

const liveStatus: Record<SimAgent['status'], string> = { available: 'available', busy: 'in_call', away: 'do_not_disturb', offline: 'offline' };
const firstExtraUserId = 500_001;
const maxPerPage = 50;
const defaultPerPage = 20;

export async function startAircallSimulator(options: AircallSimulatorOptions): Promise<AircallSimulator> {
  const teamIds = new Set(options.teamIds ?? ['42']);
  const expectedAuthorization = `Basic ${Buffer.from(`${options.apiId}:${options.apiToken}`).toString('base64')}`;
  const company = { extraUsers: options.extraUsers ?? 0, budget: new CompanyBudget(options.rateLimit) };
  const simulator = await startSimulator(
    {
      vendor: 'aircall',
      handle(request, base) {
        if (request.method !== 'GET') return undefined;
        const authorization = String(request.headers.authorization ?? '');
        if (authorization !== expectedAuthorization) return { status: 403, json: { message: 'Forbidden' } };
        const { refused, headers } = company.budget.spend();
        if (refused) return refused;
        const answer = route(request.url, base, teamIds, company.extraUsers);
        return answer && { ...answer, headers: { ...answer.headers, ...headers } };
      },
    },
    options,
  );
  return Object.assign(simulator, {
    setCompany(next: AircallCompany) {
      company.extraUsers = next.extraUsers ?? company.extraUsers;
      company.budget = new CompanyBudget(next.rateLimit ?? company.budget.rateLimit);
    },
  });
}

/** Aircall's limit is per company, whoever calls: a fixed window of `limit` calls. */
class CompanyBudget {
  private window = { startedAt: 0, used: 0 };

  constructor(readonly rateLimit: { limit: number; windowMs?: number } = { limit: 120, windowMs: 60_000 }) {}

  /** Counts one call: a 429 once the window's calls are spent; the headers on the answer that spends the last one. */
  spend(): { refused?: SimResponse; headers?: Record<string, string> } {
    const { limit, windowMs = 60_000 } = this.rateLimit;
    const now = Date.now();
    if (now - this.window.startedAt >= windowMs) this.window = { startedAt: now, used: 0 };
    this.window.used += 1;
    const headers = {
      'X-AircallApi-Limit': String(limit),
      'X-AircallApi-Remaining': String(Math.max(0, limit - this.window.used)),
      // Epoch seconds: one of the two readings the adapter accepts for this undocumented unit.
      'X-AircallApi-Reset': String(Math.ceil((this.window.startedAt + windowMs) / 1000)),
    };
    // Aircall may send the headers only once limited [2nd]: here from the last allowed call on.
    if (this.window.used < limit) return {};
    if (this.window.used === limit) return { headers };
    return { refused: { status: 429, json: { error: 'Too Many Requests', troubleshoot: 'Rate limit reached for this company' }, headers } };
  }
}

type CompanyUser = { id: number; availability: string };

function route(url: URL, base: VendorSimulator, teamIds: ReadonlySet<string>, extraUsers: number): SimResponse | undefined {
  const team = /^\/v1\/teams\/(\d+)$/.exec(url.pathname);
  if (team) return teamIds.has(team[1]!) ? { status: 200, json: teamBody(team[1]!, base.agents) } : notFound;
  const users = companyUsers(base.agents, extraUsers);
  if (url.pathname === '/v1/users/availabilities') return { status: 200, json: availabilitiesPage(url, base.url, users) };
  const user = /^\/v1\/users\/(\d+)\/availability$/.exec(url.pathname);
  if (!user) return undefined;
  const found = users.find((candidate) => String(candidate.id) === user[1]);
  return found ? { status: 200, json: { availability: found.availability } } : notFound;
}

/** Non-members first, all `available`; then the agents with their live status (every other available one on the mobile app). */
function companyUsers(agents: SimAgent[], extraUsers: number): CompanyUser[] {
  const extras = Array.from({ length: extraUsers }, (_, index) => ({ id: firstExtraUserId + index, availability: 'available' }));
  const status = (agent: SimAgent) => (agent.status === 'available' && agent.id % 2 === 0 ? 'on_mobile' : liveStatus[agent.status]);
  return [...extras, ...agents.map((agent) => ({ id: agent.id, availability: status(agent) }))];
}

function availabilitiesPage(url: URL, origin: string, users: CompanyUser[]) {
  const perPage = Math.min(maxPerPage, Math.max(1, Number(url.searchParams.get('per_page')) || defaultPerPage));
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  const link = (number: number) => `${origin}/v1/users/availabilities?page=${number}&per_page=${perPage}`;
  const slice = users.slice((page - 1) * perPage, page * perPage);
  const meta = {
    count: slice.length,
    total: users.length,
    current_page: page,
    per_page: perPage,
    next_page_link: page * perPage < users.length ? link(page + 1) : null,
    previous_page_link: page > 1 ? link(page - 1) : null,
  };
  return { users: slice, meta };
}

const notFound: SimResponse = { status: 404, json: { message: 'Not Found' } };

/** The team as the API lists it, personal data and the working-hours fields included (the adapter must ignore both). */
function teamBody(teamId: string, agents: SimAgent[]) {
  return {
    team: {
      id: Number(teamId),
      name: `Team ${teamId}`,
      direct_link: `https://api.aircall.io/v1/teams/${teamId}`,
      created_at: '2026-01-05T09:00:00.000Z',
      users: agents.map((agent) => ({
        id: agent.id,
        direct_link: `https://api.aircall.io/v1/users/${agent.id}`,
        name: `${agent.firstName} ${agent.lastName}`,
        email: agent.email,
        available: true,
        availability_status: 'available',
        created_at: '2026-01-05T09:00:00.000Z',
        time_zone: 'Etc/UTC',
        language: 'en-US',
      })),
    },
  };
}
