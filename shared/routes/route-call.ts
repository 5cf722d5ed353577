/**
 * "Check this route for this caller and this call" (docs/callers/routes-and-destinations.md): the
 * members probed through the gate without placing anything, the pick (route-check.ts), the hold
 * placed on the chosen member alone, and the chosen queue's answer with its destination, the
 * route's id and every member's reason. Every edge (HTTP, Amazon Connect) calls this and only
 * formats what it returns.
 */
import type { GateConfig, GateRoute } from '../config/gate-config';
import type { CheckRequest, Gate, GateProbe } from '../gate';
import { type QueueAnswer, type SellerDestinations, queueAnswer } from './destination';
import { type MemberProbe, type Placement, type RouteCheckOptions, type RouteMembers, type TriedMember, checkRoute } from './route-check';

export interface ChosenRouteAnswer extends QueueAnswer {
  route: string;
  tried: TriedMember[];
}

/** No member said yes (or every yes lost its hold at placement). */
export interface NoQueueAnswer {
  route: string;
  queue: null;
  canTransfer: false;
  reason: 'no_queue_available';
  tried: TriedMember[];
}

export type RouteAnswer = ChosenRouteAnswer | NoQueueAnswer;

export interface RouteCallDeps {
  config: Pick<GateConfig, 'queues'>;
  gate: Pick<Gate, 'probe' | 'probeFromMemory' | 'place'>;
  now: () => number;
}

/** Who asks: the seller's name and its own destinations, and the call. */
export interface RouteCall extends CheckRequest {
  route: GateRoute;
  seller?: SellerDestinations;
}

export async function answerRoute(deps: RouteCallDeps, call: RouteCall, options?: RouteCheckOptions): Promise<RouteAnswer> {
  const { route, seller, ...request } = call;
  const outcome = await checkRoute(route, routeMembers(deps, request), options);
  if (!outcome.chosen) return { route: route.id, queue: null, canTransfer: false, reason: 'no_queue_available', tried: outcome.tried };
  const queue = deps.config.queues.get(outcome.chosen.queue)!;
  return { route: route.id, ...queueAnswer(outcome.chosen.answer.decision, queue, seller, deps.now()), tried: outcome.tried };
}

/** A member was chosen (the answer is that queue's own, plus the route's fields). */
export function isChosen(answer: RouteAnswer): answer is ChosenRouteAnswer {
  return answer.queue !== null;
}

/** A member's probe as the route reads it; the gate's probe rides along for placement. */
function routeMembers(deps: RouteCallDeps, request: CheckRequest): RouteMembers<GateProbe> {
  const queueOf = (id: string) => deps.config.queues.get(id)!;
  return {
    known(id) {
      const probe = deps.gate.probeFromMemory(queueOf(id), request);
      return probe && memberProbe(id, probe);
    },
    async probe(id, signal) {
      return memberProbe(id, await deps.gate.probe(queueOf(id), request, signal));
    },
    async place(member): Promise<Placement<GateProbe>> {
      const decision = await deps.gate.place(queueOf(member.queue), member.answer, request);
      const answer = { ...member.answer, decision };
      return decision.canTransfer ? { placed: true, answer } : { placed: false, answer, reason: decision.reason };
    },
  };
}

function memberProbe(queue: string, probe: GateProbe): MemberProbe<GateProbe> {
  const { decision } = probe;
  return {
    queue,
    answer: probe,
    reason: decision.reason,
    ...(decision.vendorError && { vendorError: decision.vendorError }),
    yes: decision.canTransfer,
    room: roomOf(decision),
    ownHold: probe.ownHold,
  };
}

/** Free agents net of holds (docs/callers/routes-and-destinations.md: `most_available` ranks by it); null when the yes has no count. */
function roomOf(decision: GateProbe['decision']): number | null {
  if (decision.availableAgents === null || decision.heldAgents === null) return null;
  return decision.availableAgents - (decision.heldAgents ?? 0);
}
