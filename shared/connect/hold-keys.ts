/**
 * Holds in the contact-flow answer (docs/callers/amazon-connect.md and docs/operators/holds.md): two keys that are always
 * present, so a flow's map keeps the same keys every time. `heldAgents`: agents held for other
 * calls ("" on queues without holds, or when the flow's own input was wrong); `holdExpiresAt`:
 * the ISO-8601 expiry of the hold this "yes" placed or kept for the flow's callerId ("" when none).
 */
import type { Decision } from '../gate';

export interface ContactFlowHoldKeys {
  heldAgents: string;
  holdExpiresAt: string;
  /** docs/operators/limits.md: the limit that refused (caller_limit, queue_limit), and the call's state on queues with geo. */
  limit: string;
  callerState: string;
}

export const noHoldKeys: ContactFlowHoldKeys = { heldAgents: '', holdExpiresAt: '', limit: '', callerState: '' };

export function holdKeys(decision: Decision): ContactFlowHoldKeys {
  return {
    heldAgents: decision.heldAgents === undefined || decision.heldAgents === null ? '' : String(decision.heldAgents),
    holdExpiresAt: decision.hold?.expiresAt ?? '',
    limit: decision.limit ?? '',
    callerState: decision.callerState ?? '',
  };
}
