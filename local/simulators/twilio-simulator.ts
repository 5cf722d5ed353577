/**
 * Twilio TaskRouter TaskQueue real-time statistics (docs/operators/vendors/twilio.md): HTTP
 * Basic with an API key or the account's auth token (else 401, code 20003), 404 (code 20404) for
 * a workspace or queue it does not know, the documented statistics body, and `X-Rate-Limit-*`
 * headers on every answer. Its 429 carries no Retry-After, as TaskRouter documents none.
 */
import type { TwilioSecret } from '../../shared/vendors/twilio';
import { type SimAgent, type SimResponse, type SimulatorOptions, type VendorSimulator, startSimulator } from './simulator';

export interface TwilioSimulatorOptions extends SimulatorOptions {
  secret: TwilioSecret;
  /** `${workspaceSid}/${taskQueueSid}` pairs that exist (default: any). */
  queues?: string[];
}

const statisticsPath = /^\/v1\/Workspaces\/(WS[0-9a-fA-F]{32})\/TaskQueues\/(WQ[0-9a-fA-F]{32})\/RealTimeStatistics$/;
const rateLimitHeaders = { 'X-Rate-Limit-Limit': '100', 'X-Rate-Limit-Remaining': '99', 'X-Rate-Limit-Config': 'TaskQueueRealTimeStatistics' };

/** Twilio's error body: `{code, message, more_info, status}`. */
function twilioError(status: number, code: number, message: string): SimResponse {
  return { status, json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

/** Activities as a new workspace names them, plus a customer's own "Break" (agent names never appear). */
function activityStatistics(agents: SimAgent[]) {
  const count = (status: SimAgent['status']) => agents.filter((agent) => agent.status === status).length;
  return [
    { sid: 'WA00000000000000000000000000000001', friendly_name: 'Available', workers: count('available') },
    { sid: 'WA00000000000000000000000000000002', friendly_name: 'Unavailable', workers: count('busy') },
    { sid: 'WA00000000000000000000000000000003', friendly_name: 'Break', workers: count('away') },
    { sid: 'WA00000000000000000000000000000004', friendly_name: 'Offline', workers: count('offline') },
  ];
}

export function twilioStatisticsBody(accountSid: string, workspaceSid: string, taskQueueSid: string, agents: SimAgent[], url: URL) {
  return {
    account_sid: accountSid,
    workspace_sid: workspaceSid,
    task_queue_sid: taskQueueSid,
    total_available_workers: agents.filter((agent) => agent.status === 'available').length,
    total_eligible_workers: agents.length,
    total_tasks: 0,
    activity_statistics: activityStatistics(agents),
    tasks_by_status: { pending: 0, reserved: 0, assigned: 0, wrapping: 0 },
    tasks_by_priority: {},
    longest_task_waiting_age: 0,
    longest_task_waiting_sid: null,
    url: `https://taskrouter.twilio.com${url.pathname}`,
  };
}

export function startTwilioSimulator(options: TwilioSimulatorOptions): Promise<VendorSimulator> {
  const { secret } = options;
  const credentials = 'apiKeySid' in secret ? `${secret.apiKeySid}:${secret.apiKeySecret}` : `${secret.accountSid}:${secret.authToken}`;
  const expectedAuthorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  const known = options.queues && new Set(options.queues);
  return startSimulator(
    {
      vendor: 'twilio',
      handle({ method, url, headers }, simulator) {
        const match = statisticsPath.exec(url.pathname);
        if (method !== 'GET' || !match) return twilioError(404, 20404, 'The requested resource was not found');
        if (headers.authorization !== expectedAuthorization) return twilioError(401, 20003, 'Authenticate');
        if (known && !known.has(`${match[1]}/${match[2]}`))
          return twilioError(404, 20404, `The requested resource /Workspaces/${match[1]}/TaskQueues/${match[2]} was not found`);
        return { status: 200, json: twilioStatisticsBody(secret.accountSid, match[1]!, match[2]!, simulator.agents, url), headers: rateLimitHeaders };
      },
      failure: {
        '401': () => twilioError(401, 20003, 'Authenticate'),
        '429': () => ({ ...twilioError(429, 20429, 'Too Many Requests'), headers: { ...rateLimitHeaders, 'X-Rate-Limit-Remaining': '0' } }),
      },
    },
    options,
  );
}
