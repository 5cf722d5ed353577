/**
 * A route's check (docs/callers/routes-and-destinations.md): every member asked at once, each under
 * its own policy, without placing anything; a member not in by the cut-off counts as a timeout;
 * the yes members are ranked by the route's pick, and only then is the hold (with its limits)
 * placed on the first of them, or on the next when placement is refused. So a route never leaves
 * a hold on a queue it did not choose, however the members race.
 */
import type { GateRoute } from '../config/gate-config';
import { type MemberYes, pickOrder } from './pick';

/** A member's answer as the route reads it, before any hold is placed for this request. */
export interface MemberProbe<Answer> {
  queue: string;
  answer: Answer;
  reason: string;
  vendorError?: string;
  yes: boolean;
  /** Free agents net of holds, for `most_available`; null when the yes has no count. */
  room: number | null;
  /** The asking caller's own hold for this callerId already stands on this member. */
  ownHold: boolean;
}

export type Placement<Answer> = { placed: true; answer: Answer } | { placed: false; answer: Answer; reason: string };

export interface RouteMembers<Answer> {
  /** The member's answer without placing a hold; must stop work when `signal` aborts (releasing any lease). */
  probe(queue: string, signal: AbortSignal): Promise<MemberProbe<Answer>>;
  /** The member's answer when it is at hand at once (the container's memory): no timer is then needed for it. */
  known?(queue: string): MemberProbe<Answer> | undefined;
  /** Places the hold and counts the limits for a yes (a no-op for a request that places none). */
  place(probe: MemberProbe<Answer>): Promise<Placement<Answer>>;
}

export interface TriedMember {
  queue: string;
  reason: string;
  vendorError?: string;
}

export interface RouteOutcome<Answer> {
  chosen?: { queue: string; answer: Answer };
  tried: TriedMember[];
}

/** Members must be in by the deadline minus this, so the whole answer comes within the deadline plus a little. */
export const memberCutOffMarginMs = 250;

export interface RouteCheckOptions {
  random?: () => number;
  setTimer?: (run: () => void, ms: number) => () => void;
  /** Milliseconds, for the placement deadline; default `performance.now`. */
  clock?: () => number;
}

export async function checkRoute<Answer>(route: GateRoute, members: RouteMembers<Answer>, options: RouteCheckOptions = {}): Promise<RouteOutcome<Answer>> {
  const clock = options.clock ?? (() => performance.now());
  const startedAt = clock();
  const probes = knownAll(route, members) ?? (await probeAll(route, members, options.setTimer ?? realTimer));
  const tried: TriedMember[] = probes.map((probe, index) =>
    triedOf(isProbe(probe) ? probe : { queue: route.queues[index]!, reason: 'vendor_error', ...(probe === cutOff && { vendorError: 'timeout' }) }),
  );
  const yeses = probes.filter((probe): probe is MemberProbe<Answer> => isProbe(probe) && probe.yes);
  for (const probe of candidates(yeses, route, options.random)) {
    // A refused placement tries the next candidate only while the route's deadline lasts: the answer comes within it plus a little.
    if (clock() - startedAt > route.deadlineMs) break;
    const placement = await members.place(probe);
    const index = route.queues.indexOf(probe.queue);
    if (placement.placed) return { chosen: { queue: probe.queue, answer: placement.answer }, tried };
    tried[index] = { queue: probe.queue, reason: placement.reason };
  }
  return { tried };
}

/** A member not in by the cut-off, or one whose check failed outright (not a vendor error, which is an answer). */
const cutOff = Symbol('cut off');
const failed = Symbol('failed');
type ProbeResult<Answer> = MemberProbe<Answer> | typeof cutOff | typeof failed;

function isProbe<Answer>(result: ProbeResult<Answer>): result is MemberProbe<Answer> {
  return typeof result === 'object';
}

/** Every member's answer when each is at hand at once; else undefined. */
function knownAll<Answer>(route: GateRoute, members: RouteMembers<Answer>): Array<ProbeResult<Answer>> | undefined {
  if (!members.known) return undefined;
  const known: Array<MemberProbe<Answer>> = [];
  for (const queue of route.queues) {
    const probe = members.known(queue);
    if (!probe) return undefined;
    known.push(probe);
  }
  return known;
}

/** Every member at once; each one not in by the cut-off is abandoned (its signal aborted). */
async function probeAll<Answer>(route: GateRoute, members: RouteMembers<Answer>, setTimer: NonNullable<RouteCheckOptions['setTimer']>) {
  const controller = new AbortController();
  const results: Array<ProbeResult<Answer>> = route.queues.map(() => cutOff);
  let pending = route.queues.length;
  const all = Promise.all(
    route.queues.map(async (queue, index) => {
      try {
        results[index] = await members.probe(queue, controller.signal);
      } catch {
        results[index] = failed;
      }
      pending -= 1;
    }),
  );
  let cancel = () => {};
  const deadline = new Promise<void>((resolve) => {
    cancel = setTimer(resolve, Math.max(0, route.deadlineMs - memberCutOffMarginMs));
  });
  await Promise.race([all, deadline]);
  cancel();
  // Only when a member is still out: an abort builds a DOMException, a cost every cached answer would pay (bench/routes.ts).
  if (pending > 0) controller.abort();
  return [...results];
}

/** The caller's own standing hold first (a route asked again answers the same hold), then the pick order. */
function candidates<Answer>(yeses: readonly MemberProbe<Answer>[], route: GateRoute, random?: () => number): MemberProbe<Answer>[] {
  const own = yeses.filter((probe) => probe.ownHold);
  const rest = yeses.filter((probe) => !probe.ownHold);
  const byQueue = new Map(rest.map((probe) => [probe.queue, probe]));
  const ranked = pickOrder(
    rest.map((probe): MemberYes => ({ queue: probe.queue, room: probe.room })),
    { pick: route.pick, weights: route.weights, random },
  );
  return [...own, ...ranked.map((yes) => byQueue.get(yes.queue)!)];
}

function triedOf(probe: { queue: string; reason: string; vendorError?: string }): TriedMember {
  return { queue: probe.queue, reason: probe.reason, ...(probe.vendorError !== undefined && { vendorError: probe.vendorError }) };
}

function realTimer(run: () => void, ms: number): () => void {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
}
