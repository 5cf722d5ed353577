/** Config builders: the example config of docs/operators/configuration.md and single queues. */
import { type GateQueue, type Policy, parseGateConfig } from '../../shared/config/gate-config';

/** The example of docs/operators/configuration.md, without its comments. */
export function exampleConfig() {
  return {
    callersSecret: 'transfer-gate/callers',
    defaults: { minAvailable: 1, cacheTtlMs: 3000, timeoutMs: 2500, onVendorError: 'deny', maxStaleMs: 0 },
    queues: [
      { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
      { id: 'sales', vendor: 'calltools', secret: 'tg/calltools', silo: 'east-2', queueId: '5457', availableStatusId: '20561', minAvailable: 2 },
      { id: 'kore-care', vendor: 'koreai', secret: 'tg/kore', botId: 'st-123', queueIds: ['qu-1'] },
      { id: 'uk', vendor: 'vonage', secret: 'tg/vonage', region: 'emea', queueGuids: ['457857dc-19eb-4eb9-b562-c90ca37de447'], liveness: 'live' },
      { id: 'closers', vendor: 'aircall', secret: 'tg/aircall', teamId: 42 },
    ],
  };
}

/** One queue, parsed and resolved as the gate sees it; `policy` overrides skip validation (e.g. a 50 ms timeout). */
export function gateQueue(queue: Record<string, unknown>, policy: Partial<Policy> = {}): GateQueue {
  const parsed = parseGateConfig({ queues: [queue] }).queues.get(String(queue.id));
  if (!parsed) throw new Error(`queue ${String(queue.id)} did not parse`);
  return { ...parsed, policy: { ...parsed.policy, ...policy } };
}
