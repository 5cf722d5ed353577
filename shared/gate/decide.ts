/**
 * The pure decision: a queue's policy and what the read found (a reading, or a failure with the
 * last good reading) -> the answer. No clock, no store, no vendor: `now` is passed in.
 */
import type { GateQueue } from '../config/gate-config';
import type { VendorErrorKind } from '../errors';
import type { StoredReading } from '../state/store';

export type DecisionReason =
  | 'agents_available'
  | 'not_enough_agents'
  | 'vendor_error'
  | 'closed'
  | 'state_unavailable'
  // docs/operators/limits.md: the call, not just the queue.
  | 'caller_limit'
  | 'queue_limit'
  | 'duplicate_caller'
  | 'outside_area';
export type DecisionSource = 'live' | 'cache' | 'stale';

/** The answer, in the field order of docs/callers/http-api.md. */
export interface Decision {
  queue: string;
  canTransfer: boolean;
  reason: DecisionReason;
  /** null when the vendor could not be read: a failure is never "0 agents". */
  availableAgents: number | null;
  minAvailable: number;
  vendor: string;
  source: DecisionSource;
  checkedAt: string;
  ageMs: number;
  busyAgents?: number;
  awayAgents?: number;
  offlineAgents?: number;
  totalAgents?: number;
  vendorError?: VendorErrorKind;
  /** Queues with holds: agents held for other calls (null: the store could not say); and the hold this answer placed or kept. */
  heldAgents?: number | null;
  hold?: { callerId: string; expiresAt: string };
  /** The store could not count or place this answer's holds (docs/on-call/when-things-fail.md). */
  stateUnavailable?: true;
  /** docs/operators/limits.md: the limit that refused (caller_limit, queue_limit) and when to try again. */
  limit?: 'maxHolds' | 'transfersPerHour' | 'transfersPerDay';
  retryAt?: string;
  /** On every answer of a queue with `geo`: the call's state, null when it cannot be told. */
  callerState?: string | null;
  /** Hours and overrides (docs/operators/hours-and-overrides.md). */
  closedBy?: 'schedule' | 'override';
  opensAt?: string | null;
  closesAt?: string | null;
}

/** What the read orchestration found for one check. */
export type ReadResult =
  | { ok: true; reading: StoredReading; source: 'live' | 'cache' }
  /**
   * `at`: when the failure happened; `lastGood`: the last good reading known, for a stale answer;
   * `source`: `live` only when this check's own read called the vendor (docs/callers/http-api.md).
   */
  | { ok: false; kind: VendorErrorKind; at: number; lastGood?: StoredReading; source: 'live' | 'cache' };

export function decide(queue: GateQueue, result: ReadResult, now: number): Decision {
  if (result.ok) return fromReading(queue, result.reading, result.source, now);
  const stale = result.lastGood;
  if (stale && now - stale.checkedAt < queue.policy.maxStaleMs) {
    return { ...fromReading(queue, stale, 'stale', now), vendorError: result.kind };
  }
  return failed(queue, result, now);
}

function fromReading(queue: GateQueue, reading: StoredReading, source: DecisionSource, now: number): Decision {
  const { availability } = reading;
  const canTransfer = availability.available >= queue.policy.minAvailable;
  const decision: Decision = {
    queue: queue.id,
    canTransfer,
    reason: canTransfer ? 'agents_available' : 'not_enough_agents',
    availableAgents: availability.available,
    minAvailable: queue.policy.minAvailable,
    vendor: queue.vendor,
    source,
    checkedAt: new Date(reading.checkedAt).toISOString(),
    ageMs: Math.max(0, now - reading.checkedAt),
  };
  if (availability.busy !== undefined) decision.busyAgents = availability.busy;
  if (availability.away !== undefined) decision.awayAgents = availability.away;
  if (availability.offline !== undefined) decision.offlineAgents = availability.offline;
  if (availability.total !== undefined) decision.totalAgents = availability.total;
  // Fields the vendor declares (its module's answerExtras), after the counts.
  if (availability.extras) Object.assign(decision, availability.extras);
  return decision;
}

function failed(queue: GateQueue, { kind, at, source }: Extract<ReadResult, { ok: false }>, now: number): Decision {
  return {
    queue: queue.id,
    canTransfer: queue.policy.onVendorError === 'allow',
    reason: 'vendor_error',
    availableAgents: null,
    minAvailable: queue.policy.minAvailable,
    vendor: queue.vendor,
    source,
    checkedAt: new Date(at).toISOString(),
    ageMs: Math.max(0, now - at),
    vendorError: kind,
  };
}
