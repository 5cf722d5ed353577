/**
 * Lambda timeouts follow the config: longer than the slowest queue's budget (so the gate, not
 * Lambda, decides what a slow vendor means) and shorter than API Gateway's 29 s integration
 * limit (so a caller always gets the gate's answer, never a gateway timeout). The arithmetic is
 * shared/config/time-budget.ts, the same rule the config schema enforces on `timeoutMs`.
 */
import { Duration } from 'aws-cdk-lib';
import type { GateConfig } from '../shared/config/gate-config';
import { functionTimeoutSeconds } from '../shared/config/time-budget';

export function largestQueueTimeoutMs(config: GateConfig): number {
  return Math.max(...[...config.queues.values()].map((queue) => queue.policy.timeoutMs));
}

export function functionTimeout(config: GateConfig): Duration {
  return Duration.seconds(functionTimeoutSeconds(largestQueueTimeoutMs(config)));
}
