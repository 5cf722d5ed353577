/**
 * Lambda timeouts follow the config: longer than the slowest queue's budget (so the gate, not
 * Lambda, decides what a slow vendor means) and shorter than API Gateway's 29 s integration
 * limit (so a caller always gets the gate's answer, never a gateway timeout).
 */
import { Duration } from 'aws-cdk-lib';
import type { GateConfig } from '../shared/config/gate-config';

/** API Gateway gives up at 29 s; the function must answer before that. */
export const maxFunctionTimeoutSeconds = 28;

/**
 * Time outside any queue's budget: reading the callers secret (shared/secrets.ts allows two tries
 * of up to 1 s to connect and 2 s to answer) and cold-start initialisation.
 */
export const outsideBudgetSeconds = 7;

export function largestQueueTimeoutMs(config: GateConfig): number {
  return Math.max(...[...config.queues.values()].map((queue) => queue.policy.timeoutMs));
}

export function functionTimeout(config: GateConfig): Duration {
  const seconds = Math.ceil(largestQueueTimeoutMs(config) / 1000) + outsideBudgetSeconds;
  return Duration.seconds(Math.min(seconds, maxFunctionTimeoutSeconds));
}
