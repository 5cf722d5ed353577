/**
 * Aloware ring-group availability (docs/operators/vendors/aloware.md). Aloware is a Laravel app:
 * a bad token answers 401 `{"message":"Unauthenticated."}` to JSON clients and redirects
 * anyone else to the login page, so a client without `Accept: application/json` gets HTML.
 */
import { type SimAgent, type SimulatorOptions, type VendorSimulator, startSimulator } from './simulator';
import { alowareReasonList } from '../../shared/vendors/aloware';

export interface AlowareSimulatorOptions extends SimulatorOptions {
  apiToken: string;
  /** Ring groups (inboxes) that exist; others answer 404. */
  ringGroupIds?: string[];
}

/** Aloware's documented routing checks, as the adapter knows them. */
const checks = alowareReasonList;

/** Which check an agent in each state fails. */
const failedCheck: Record<SimAgent['status'], (typeof checks)[number] | undefined> = {
  available: undefined,
  busy: 'takes_call_within_concurrency_limit',
  away: 'agent_accepts_call',
  offline: 'is_active',
};

export function alowareTestResult(agent: SimAgent, order: number) {
  const failed = failedCheck[agent.status];
  const reasons = Object.fromEntries(checks.map((check) => [check, check !== failed]));
  return {
    id: agent.id,
    failed_to_route: failed !== undefined,
    order,
    name: `${agent.firstName} ${agent.lastName}`,
    email: agent.email,
    reasons,
    answer_by: 'Browser / Apps',
    agent_status: agent.status === 'available' ? 'Accepting Calls' : 'Not Accepting Calls',
  };
}

export function startAlowareSimulator(options: AlowareSimulatorOptions): Promise<VendorSimulator> {
  const ringGroupIds = new Set(options.ringGroupIds ?? ['1']);
  return startSimulator(
    {
      vendor: 'aloware',
      handle({ method, url, headers }, simulator) {
        if (method !== 'GET' || url.pathname !== '/api/v1/webhook/ring-group/availability') return undefined;
        const wantsJson = String(headers.accept ?? '').includes('application/json');
        if (url.searchParams.get('api_token') !== options.apiToken) {
          return wantsJson ? { status: 401, json: { message: 'Unauthenticated.' } } : { status: 302, text: '', headers: { Location: '/login' } };
        }
        const ringGroupId = url.searchParams.get('ring_group_id') ?? '';
        // Laravel's validation answers 422 (sibling Aloware APIs document it; docs/operators/vendors/aloware.md).
        if (!/^\d+$/.test(ringGroupId)) {
          return { status: 422, json: { message: 'The given data was invalid.', errors: { ring_group_id: ['The ring group id must be an integer.'] } } };
        }
        if (!ringGroupIds.has(ringGroupId)) return { status: 404, json: { error: 'Inbox not found.' } };
        const testResults = simulator.agents.map(alowareTestResult);
        const available = testResults.filter((result) => !result.failed_to_route).length;
        return {
          status: 200,
          json: {
            test_results: testResults,
            available_users_count: available,
            unavailable_users_count: testResults.length - available,
            total_users_count: testResults.length,
          },
        };
      },
    },
    options,
  );
}
