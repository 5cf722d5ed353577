/**
 * The one service every edge calls (docs/contributors/architecture.md): "check this queue for this
 * caller and this call". The HTTP route, the Connect edge and the scheduled check parse their
 * input, call `checkCall`, and format the decision; this owns the rest, in the order of
 * docs/operators/limits.md: the callerId a limit needs, the seller's pings per minute, then the
 * gate (hours, geography and duplicates, the read and the decision, limits with the hold), and
 * the per-request decision line. The edges count their answers in traffic metrics (a route's
 * answer under the route id); a ping refused here is counted here, reason rate_limited.
 */
import type { GateQueue, GateRoute } from '../config/gate-config';
import { RateLimitedError, RequestError } from '../errors';
import type { Decision, GateCheck } from '../gate';
import { type SellerLimits, pingWindow } from '../gate/limit-windows';
import { type UsState, normalizeCallerId } from '../geo';
import { logger } from '../logger';
import type { SellerDestinations } from '../routes/destination';
import { type RouteAnswer, answerRoute, isChosen } from '../routes/route-call';
import type { Runtime } from '../runtime';

export interface CallCheck {
  queue: GateQueue;
  /** Who asks: a seller from the callers secret, or an entry point's own name (amazon-connect); none for the scheduled check, which watches the queue rather than a call. */
  caller?: { name: string; limits?: SellerLimits };
  /** Already well formed (1 to 64 characters of the callerId alphabet); put in E.164 here when North American. */
  callerId?: string;
  state?: UsState;
  /** Extra fields for the decision line (e.g. the HTTP format). */
  logFields?: Record<string, string | undefined>;
}

export async function checkCall(runtime: Runtime, request: CallCheck): Promise<GateCheck> {
  const { queue, caller } = request;
  // No call to check: hours, the read and the decision only (no limits, geography or duplicates).
  if (!caller) return runtime.gate.check(queue);
  const callerId = request.callerId === undefined ? undefined : normalizeCallerId(request.callerId);
  requireCallerId(queue, caller.limits, callerId);
  const pingsPerMinute = caller.limits?.pingsPerMinute;
  if (pingsPerMinute !== undefined) await countPing(runtime, queue.id, caller.name, pingsPerMinute);
  const check = await runtime.gate.check(queue, { callerName: caller.name, callerId, sellerLimits: caller.limits, state: request.state });
  logger.info('availability', decisionLine(queue.id, caller.name, check.decision, request.logFields));
  return check;
}

export interface RouteCallCheck {
  route: GateRoute;
  /** Who asks: a seller from the callers secret (its limits and own destinations), or an entry point's own name. */
  caller: { name: string; limits?: SellerLimits } & SellerDestinations;
  callerId?: string;
  state?: UsState;
  logFields?: Record<string, string | undefined>;
}

/**
 * A route's request (docs/callers/routes-and-destinations.md, docs/operators/limits.md): the
 * callerId any member's limits need (400), one ping counted for the whole request, then the
 * route's members probed and the chosen one placed with the seller's limits and the call's state,
 * and one decision line.
 */
export async function checkRouteCall(runtime: Runtime, request: RouteCallCheck): Promise<RouteAnswer> {
  const { route, caller } = request;
  const callerId = request.callerId === undefined ? undefined : normalizeCallerId(request.callerId);
  for (const id of route.queues) requireCallerId(runtime.config.queues.get(id)!, caller.limits, callerId);
  const pingsPerMinute = caller.limits?.pingsPerMinute;
  if (pingsPerMinute !== undefined) await countPing(runtime, route.id, caller.name, pingsPerMinute);
  const answer = await answerRoute(runtime, { route, seller: caller, callerName: caller.name, callerId, sellerLimits: caller.limits, state: request.state });
  logger.info('availability', {
    seller: caller.name,
    route: route.id,
    queue: answer.queue ?? undefined,
    canTransfer: answer.canTransfer,
    reason: answer.reason,
    ...(isChosen(answer) && !answer.canTransfer && { limit: answer.limit ?? 'none', retryAt: answer.retryAt }),
    ...(!isChosen(answer) && { limit: 'none' }),
    source: isChosen(answer) ? answer.source : undefined,
    ...request.logFields,
  });
  return answer;
}

/**
 * The per-request decision line (docs/operators/limits.md, "What sellers see"): every answer; a
 * refusal always names seller, queue, reason and limit (`none` when no limit refused it; the logger drops null values).
 */
function decisionLine(queueId: string, seller: string, decision: Decision, logFields: CallCheck['logFields']) {
  return {
    seller,
    queue: queueId,
    canTransfer: decision.canTransfer,
    reason: decision.reason,
    ...(!decision.canTransfer && { limit: decision.limit ?? 'none', retryAt: decision.retryAt }),
    source: decision.source,
    vendorError: decision.vendorError,
    ...logFields,
  };
}

/** A limit counts holds, and a hold is for a call: without a callerId there is nothing to count (400). */
function requireCallerId(queue: GateQueue, seller: SellerLimits | undefined, callerId: string | undefined): void {
  if (callerId !== undefined) return;
  const { limits, duplicates, holdMs } = queue.policy;
  if (limits || duplicates)
    throw new RequestError(
      'invalid_request',
      `queue "${queue.id}" has ${limits ? 'transfer limits' : 'a duplicate window'}: name the call with callerId (or X-Caller-Id)`,
    );
  const sellerLimited = seller?.maxHolds !== undefined || seller?.transfersPerHour !== undefined || seller?.transfersPerDay !== undefined;
  if (sellerLimited && holdMs > 0)
    throw new RequestError('invalid_request', 'your transfers are limited: name the call with callerId (or X-Caller-Id) on queues with holds');
}

/**
 * Every availability request of a seller with pingsPerMinute counts, across containers. The
 * store falls back to this container's memory when the table fails: never a refusal for that.
 */
async function countPing(runtime: Runtime, queueId: string, sellerName: string, pingsPerMinute: number): Promise<void> {
  const now = runtime.now();
  const window = pingWindow(sellerName, now);
  if (await runtime.store.countPing(window.key, pingsPerMinute, window.end, now)) return;
  logger.info('availability', {
    seller: sellerName,
    queue: queueId,
    canTransfer: false,
    reason: 'rate_limited',
    limit: 'pingsPerMinute',
    retryAt: new Date(window.end).toISOString(),
  });
  // Counted in traffic metrics like any refusal (docs/on-call/traffic-metrics.md), reason rate_limited.
  runtime.traffic.rateLimited(queueId, sellerName);
  throw new RateLimitedError(`over ${pingsPerMinute} requests a minute for this key; try again in ${window.retryAfterSeconds} s`, window.retryAfterSeconds);
}
