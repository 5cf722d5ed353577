/**
 * Convoso user activity (docs/operators/vendors/convoso.md): `auth_token` in the query (missing
 * or wrong: 401), `{"success":true,"data":{"available_agents":N,"logged_in_agents":M}}`, and
 * application errors as HTTP 200 `success: false` with a code (6041 unknown queue, 6026 unknown
 * campaign, 4001 no filter at all), as a public client documents them.
 */
import { type SimResponse, type SimulatorOptions, type VendorSimulator, startSimulator } from './simulator';

export interface ConvosoSimulatorOptions extends SimulatorOptions {
  authToken: string;
  /** Queues and campaigns that exist (default: any). */
  queueIds?: string[];
  campaignIds?: string[];
}

const applicationError = (code: number, text: string): SimResponse => ({ status: 200, json: { success: false, code, text } });

export function startConvosoSimulator(options: ConvosoSimulatorOptions): Promise<VendorSimulator> {
  const queueIds = options.queueIds && new Set(options.queueIds);
  const campaignIds = options.campaignIds && new Set(options.campaignIds);
  return startSimulator(
    {
      vendor: 'convoso',
      handle({ method, url }, simulator) {
        if (method !== 'GET' || url.pathname !== '/v1/user-activity/search') return undefined;
        if (url.searchParams.get('auth_token') !== options.authToken)
          return { status: 401, json: { success: false, code: 401, error: 'Missing or invalid token' } };
        const queueId = url.searchParams.get('queue_id');
        const campaignId = url.searchParams.get('campaign_id');
        if (queueId === null && campaignId === null) return applicationError(4001, 'Missing required field');
        if (queueId !== null && queueIds && !queueIds.has(queueId)) return applicationError(6041, 'Invalid queue ID');
        if (campaignId !== null && campaignIds && !campaignIds.has(campaignId)) return applicationError(6026, 'Invalid campaign ID');
        // Every simulated agent is in every queue, campaign and skill; logged in = not offline.
        const available = simulator.agents.filter((agent) => agent.status === 'available').length;
        const loggedIn = simulator.agents.filter((agent) => agent.status !== 'offline').length;
        return { status: 200, json: { success: true, data: { available_agents: available, logged_in_agents: loggedIn } } };
      },
      failure: {
        '401': () => ({ status: 401, json: { success: false, code: 401, error: 'Missing or invalid token' } }),
        '403': () => ({ status: 403, json: { success: false, code: 403, error: 'Token is invalid for the office' } }),
      },
    },
    options,
  );
}
