/**
 * Before any reading (docs/operators/limits.md): geography and duplicate callers, which need no
 * vendor call. A refusal here is answered at once, like a closed queue: `source: "cache"`,
 * `availableAgents: null`, `checkedAt` the moment of answering.
 */
import type { GateQueue } from '../config/gate-config';
import { StateUnavailableError } from '../errors';
import { type UsState, stateOfCallerId } from '../geo';
import type { StateStore } from '../state/store';
import type { Decision } from './decide';
import { duplicateKey, duplicateWindowStart } from './limit-windows';

/** The call's state: the request's `state`, else its North American callerId's area code. */
export function callerStateOf(state: UsState | undefined, callerId: string | undefined): UsState | undefined {
  return state ?? (callerId === undefined ? undefined : stateOfCallerId(callerId));
}

/** Whether the queue's `geo` turns this call away: another state, or one that cannot be told under onUnknown deny. */
export function outsideArea(queue: GateQueue, callerState: UsState | undefined): boolean {
  const geo = queue.policy.geo;
  if (!geo) return false;
  if (callerState === undefined) return geo.onUnknown === 'deny';
  return !geo.states.includes(callerState);
}

/**
 * Whether a hold was placed for this callerId within the queue's window, and the asking seller
 * holds no standing hold for it (asked again, its own hold is not a duplicate). A store that
 * cannot tell does not refuse here: the mark written with the hold checks again, under onStoreError.
 */
export async function duplicateStanding(store: StateStore, queue: GateQueue, callerName: string, callerId: string | undefined, now: number): Promise<boolean> {
  const key = callerId === undefined ? undefined : duplicateKey(queue, callerId);
  if (key === undefined) return false;
  try {
    const last = await store.lastTransfer(key);
    if (last === undefined || last <= duplicateWindowStart(queue, now)) return false;
    const holds = await store.holds(queue.id, now);
    return !holds.some((hold) => hold.callerName === callerName && hold.callerId === callerId);
  } catch (error) {
    if (error instanceof StateUnavailableError) return false;
    throw error;
  }
}

/** The answer decided before any reading. */
export function refusedBeforeReading(queue: GateQueue, reason: 'outside_area' | 'duplicate_caller', now: number): Decision {
  return {
    queue: queue.id,
    canTransfer: false,
    reason,
    availableAgents: null,
    minAvailable: queue.policy.minAvailable,
    vendor: queue.vendor,
    source: 'cache',
    checkedAt: new Date(now).toISOString(),
    ageMs: 0,
  };
}
