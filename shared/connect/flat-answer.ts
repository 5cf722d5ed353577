/**
 * The contact flow's answer (docs/callers/amazon-connect.md; docs/callers/routes-and-destinations.md):
 * flat, every value a string, and the same keys on every answer ("" where a value is absent or
 * null), the only shape the "Invoke AWS Lambda function" block accepts with STRING_MAP validation,
 * so a flow can branch on `canTransfer` and `reason` without checking for absence. `payout` and a
 * route's `tried` are not passed: they are not strings.
 */
import type { Decision } from '../gate';
import type { QueueAnswer } from '../routes/destination';
import type { RouteAnswer } from '../routes/route-call';
import { type ContactFlowHoldKeys, holdKeys, noHoldKeys } from './hold-keys';

export type ContactFlowReason = Decision['reason'] | 'no_queue_available' | 'invalid_request' | 'queue_not_found' | 'internal_error';

/** What the flow gets back. */
export interface ContactFlowAnswer extends ContactFlowHoldKeys {
  [key: string]: string;
  /** The queue that answered; on a route, the chosen member ("" when none was). */
  queue: string;
  /** The route asked for; "" on a queue. */
  route: string;
  canTransfer: 'true' | 'false';
  /** Empty when the vendor could not be read: a failure is never "0 agents". */
  availableAgents: string;
  reason: ContactFlowReason;
  minAvailable: string;
  vendor: string;
  source: string;
  checkedAt: string;
  /** Empty unless the vendor failed (then one of the contract's vendorError kinds). */
  vendorError: string;
  /** Empty unless reason is one of the flow's own errors; says what to fix in the flow. */
  message: string;
  /** docs/operators/hours-and-overrides.md: ISO-8601 instants, empty when none (open queue: opensAt; no schedule or override: both). */
  opensAt: string;
  closesAt: string;
  /** A yes only: where to send the call, and (with a hold) whole seconds until it expires. */
  transferTo: string;
  expiresInSeconds: string;
  /** The limit that refused the call, and the call's state where a queue has geography (docs/operators/limits.md). */
  limit: string;
  callerState: string;
}

/** Every key, empty: the flow's own errors, and the route answer without a chosen queue, start from it. */
const emptyAnswer: ContactFlowAnswer = {
  queue: '',
  route: '',
  canTransfer: 'false',
  availableAgents: '',
  reason: 'internal_error',
  minAvailable: '',
  vendor: '',
  source: '',
  checkedAt: '',
  vendorError: '',
  message: '',
  opensAt: '',
  closesAt: '',
  ...noHoldKeys,
  transferTo: '',
  expiresInSeconds: '',
  limit: '',
  callerState: '',
};

/** A queue's answer (a route's chosen member's, with `route`) as the flat map: every key, "" when absent. */
export function toContactFlowAnswer(answer: QueueAnswer, route = ''): ContactFlowAnswer {
  return {
    queue: answer.queue,
    route,
    canTransfer: answer.canTransfer ? 'true' : 'false',
    availableAgents: text(answer.availableAgents),
    reason: answer.reason,
    minAvailable: String(answer.minAvailable),
    vendor: answer.vendor,
    source: answer.source,
    checkedAt: answer.checkedAt,
    vendorError: text(answer.vendorError),
    message: '',
    opensAt: text(answer.opensAt),
    closesAt: text(answer.closesAt),
    ...holdKeys(answer),
    transferTo: text(answer.transferTo),
    expiresInSeconds: text(answer.expiresInSeconds),
    limit: text(answer.limit),
    callerState: text(answer.callerState),
  };
}

export function routeContactFlowAnswer(answer: RouteAnswer): ContactFlowAnswer {
  if (answer.queue !== null) return toContactFlowAnswer(answer, answer.route);
  return { ...emptyAnswer, route: answer.route, reason: answer.reason };
}

/** The flow's own mistake, or a failure: `queue`/`route` echo only well-formed ids. */
export function flowError(ids: { queue?: string; route?: string }, reason: ContactFlowReason, message: string): ContactFlowAnswer {
  return { ...emptyAnswer, queue: ids.queue ?? '', route: ids.route ?? '', reason, message };
}

function text(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}
