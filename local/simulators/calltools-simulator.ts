/**
 * CallTools agent statuses (docs/operators/vendors/calltools.md): `Authorization: Token <key>`, a
 * Django REST framework list with page-number pagination, django-filter style 400s, and rows as
 * public callers show them (`app_user` UUID, `full_name`, integer `agent_status`).
 */
import { type SimAgent, type SimulatorOptions, type VendorSimulator, startSimulator } from './simulator';

export interface CalltoolsSimulatorOptions extends SimulatorOptions {
  apiKey: string;
  /** Contact Center queues that exist. */
  queueIds?: string[];
  /** The id of the account's "Available" agent status. */
  availableStatusId?: string;
}

const pageSize = 25;

export function startCalltoolsSimulator(options: CalltoolsSimulatorOptions): Promise<VendorSimulator> {
  const queueIds = new Set(options.queueIds ?? ['5457']);
  const availableStatusId = options.availableStatusId ?? '20561';
  return startSimulator(
    {
      vendor: 'calltools',
      handle({ method, url, headers }, simulator) {
        if (method !== 'GET' || url.pathname !== '/api/agentstatuses/') return undefined;
        const authorization = String(headers.authorization ?? '');
        if (!authorization) return { status: 401, json: { detail: 'Authentication credentials were not provided.' } };
        if (authorization !== `Token ${options.apiKey}`) return { status: 401, json: { detail: 'Invalid token.' } };
        const queue = url.searchParams.get('queue');
        if (queue !== null && !queueIds.has(queue)) {
          return { status: 400, json: { queue: ['Select a valid choice. That choice is not one of the available choices.'] } };
        }
        const statusId = url.searchParams.get('agent_status_id');
        const readyOnly = url.searchParams.get('ready') === 'true';
        const rows = simulator.agents
          .map((agent) => calltoolsAgentRow(agent, Number(availableStatusId)))
          .filter((row) => (!statusId || String(row.agent_status) === statusId) && (!readyOnly || row.ready));
        const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
        const pageUrl = (number: number) => {
          const next = new URL(url);
          next.searchParams.set('page', String(number));
          return `${next.origin}${next.pathname}${next.search}`;
        };
        return {
          status: 200,
          json: {
            count: rows.length,
            next: page * pageSize < rows.length ? pageUrl(page + 1) : null,
            previous: page > 1 ? pageUrl(page - 1) : null,
            results: rows.slice((page - 1) * pageSize, page * pageSize),
          },
        };
      },
    },
    options,
  );
}

/** One agent-status row: `full_name` is personal data the gate must never pass on. */
export function calltoolsAgentRow(agent: SimAgent, availableStatusId: number) {
  const suffix = agent.id.toString(16).padStart(12, '0');
  return {
    id: agent.id,
    app_user: `00000000-0000-4000-8000-${suffix}`,
    full_name: `${agent.firstName} ${agent.lastName}`,
    agent_status: agent.status === 'available' ? availableStatusId : 20999,
    ready: agent.status === 'available',
    logged_in: agent.status !== 'offline',
    campaign: 88,
    web_phone_status: agent.status === 'offline' ? 'unregistered' : 'registered',
    live_calls_count: agent.status === 'busy' ? 1 : 0,
  };
}
