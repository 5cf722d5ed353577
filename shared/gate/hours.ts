/**
 * Hours and overrides (docs/operators/hours-and-overrides.md): whether a queue is closed at an instant, from
 * its override (state store) and its schedule (pure), before any reading is looked at. A closed
 * queue's vendor is not called; its answer is built here.
 *
 * A queue's override lookup is kept in container memory for at most `overrideCacheMs` (1 s), and
 * this check runs before the reading cache on every check, so a cached vendor reading never hides
 * an override: a change made in any container is seen in every container within 2 s. While the
 * store cannot be read, the last override each container read stays in force.
 */
import type { GateQueue } from '../config/gate-config';
import { evaluateSchedule } from '../schedule/schedule';
import type { Override, StateStore } from '../state/store';
import type { Decision } from './decide';

export const overrideCacheMs = 1000;

/** A queue's hours at one instant: closed (by what, until when) or open (until when; undefined: not said). */
export type QueueHours = { closed: true; closedBy: 'schedule' | 'override'; opensAt: number | null } | { closed: false; closesAt?: number | null };

/** Pure: the override wins over the schedule; an open override ignores the schedule until it ends. */
export function hoursAt(queue: GateQueue, override: Override | undefined, now: number): QueueHours {
  const current = inForce(override, now);
  if (current?.state === 'closed') return { closed: true, closedBy: 'override', opensAt: current.until ?? null };
  // Open by override: it ends at its `until` (then the schedule applies again), else when deleted.
  if (current?.state === 'open') return { closed: false, closesAt: current.until ?? null };
  const schedule = queue.policy.schedule;
  // No schedule and no override: always open, and the answer is the one from before hours existed (no closesAt).
  if (!schedule) return { closed: false };
  const state = evaluateSchedule(schedule, now);
  return state.open ? { closed: false, closesAt: state.closesAt } : { closed: true, closedBy: 'schedule', opensAt: state.opensAt };
}

const iso = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs).toISOString());

/**
 * A closed queue's answer. No vendor was read: `availableAgents` null, `source` "cache" (no vendor
 * call was made for it), `checkedAt` now and `ageMs` 0; `minAvailable` and `vendor` as for any
 * answer of the queue.
 */
export function closedDecision(queue: GateQueue, hours: Extract<QueueHours, { closed: true }>, now: number): Decision {
  return {
    queue: queue.id,
    canTransfer: false,
    reason: 'closed',
    availableAgents: null,
    minAvailable: queue.policy.minAvailable,
    vendor: queue.vendor,
    source: 'cache',
    checkedAt: new Date(now).toISOString(),
    ageMs: 0,
    closedBy: hours.closedBy,
    opensAt: iso(hours.opensAt),
  };
}

/** An open queue's answer carries `closesAt` when its hours say one (a schedule or an open override). */
export function withClosesAt(decision: Decision, hours: QueueHours): Decision {
  if (hours.closed || hours.closesAt === undefined) return decision;
  return { ...decision, closesAt: iso(hours.closesAt) };
}

/** What this container last read of a queue's override: `none` is a reading too. */
type LastKnown = { override: Override | undefined; at: number };

/** One lookup, shared by the checks within `cacheMs`; `settled` once it answered. */
type Lookup = { at: number; hours: Promise<Override | undefined>; settled?: { override: Override | undefined } };

/**
 * The overrides as the gate reads them (docs/on-call/when-things-fail.md): the store, with each
 * queue's lookup kept at most 1 s in this container, and the last override read kept for as long
 * as the store cannot be read, so an emergency closure stays in force through a table outage (its
 * `until` still ends it on time). A change is applied here only once the store confirmed it.
 */
export class Overrides {
  private readonly lookups = new Map<string, Lookup>();
  private readonly lastKnown = new Map<string, LastKnown>();

  constructor(
    private readonly store: StateStore,
    /** The gate's clock (the override routes stamp and check `until` with it). */
    readonly now: () => number,
    private readonly cacheMs = overrideCacheMs,
  ) {}

  /** The queue's hours now if this container's lookup is fresh and settled (no table read), else undefined. */
  knownHours(queue: GateQueue): QueueHours | undefined {
    const now = this.now();
    const cached = this.lookups.get(queue.id);
    if (!cached?.settled || now - cached.at >= this.cacheMs) return undefined;
    return hoursAt(queue, cached.settled.override, now);
  }

  /** The queue's hours now (concurrent checks of one queue share one lookup). */
  async hours(queue: GateQueue): Promise<QueueHours> {
    const override = await this.lookup(queue.id);
    return hoursAt(queue, override, this.now());
  }

  /**
   * The override in force, from the store; when the store cannot be read, the last one this
   * container read (if it ended since, none). Throws StateUnavailableError when it never read one.
   */
  async get(queueId: string): Promise<Override | undefined> {
    try {
      return await this.read(queueId);
    } catch (error) {
      const known = this.lastKnown.get(queueId);
      if (!known) throw error;
      return inForce(known.override, this.now());
    }
  }

  /** Stores the override; applied here once the store confirmed it (a StateUnavailableError otherwise). */
  async put(queueId: string, override: Override): Promise<void> {
    await this.store.putOverride(queueId, override);
    this.learn(queueId, { ...override });
  }

  /** The override that was in force, now ended; undefined when none was. Applied here once confirmed. */
  async delete(queueId: string): Promise<Override | undefined> {
    const inForceBefore = await this.read(queueId);
    await this.store.deleteOverride(queueId);
    this.learn(queueId, undefined);
    return inForceBefore;
  }

  private async read(queueId: string): Promise<Override | undefined> {
    const override = await this.store.getOverride(queueId, this.now());
    this.learn(queueId, override);
    return override;
  }

  private learn(queueId: string, override: Override | undefined): void {
    const at = this.now();
    this.lastKnown.set(queueId, { override, at });
    this.lookups.set(queueId, { at, hours: Promise.resolve(override), settled: { override } });
  }

  private lookup(queueId: string): Promise<Override | undefined> {
    const now = this.now();
    const cached = this.lookups.get(queueId);
    if (cached && now - cached.at < this.cacheMs) return cached.hours;
    // A store that cannot be read: the last override this container read, else none.
    const lookup: Lookup = { at: now, hours: Promise.resolve(undefined) };
    lookup.hours = this.read(queueId).catch(() => {
      const override = this.lastKnown.get(queueId)?.override;
      lookup.settled = { override };
      return override;
    });
    this.lookups.set(queueId, lookup);
    return lookup.hours;
  }
}

function inForce(override: Override | undefined, now: number): Override | undefined {
  return override && (override.until === undefined || override.until > now) ? override : undefined;
}
