/**
 * Routes (docs/callers/routes-and-destinations.md): GET /v1/routes/{id}/availability asks the
 * route's members at once and answers the chosen queue's answer plus `route` and `tried`, in the
 * formats a queue's availability has; DELETE /v1/routes/{id}/holds/{callerId} releases the
 * caller's hold on whichever member holds it. Throws RequestErrors; the edge shapes them.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import '../zod-locale';
import type { Caller } from '../callers';
import type { GateRoute } from '../config/gate-config';
import { RequestError } from '../errors';
import { releaseHold, releaseHoldsFor } from '../gate';
import { checkRouteCall } from '../check/check-call';
import { type RouteAnswer, isChosen } from '../routes/route-call';
import type { Runtime } from '../runtime';
import { errorAnswerSchema, routeAnswerSchema, textAnswerSchema } from './answer-schemas';
import { type Format, availabilityQuery, formatFromAccept, requestState, transferCount } from './availability-api';
import { callerIdSchema, requestCallerId } from './caller-id';
import { queueIdParam, visibleRoute } from './queue-access';
import { jsonResponse, noContentResponse, textResponse } from './responses';
import { defineRoute } from './route';

export const routeAvailabilityRoute = defineRoute({
  method: 'GET',
  resource: '/v1/routes/{id}/availability',
  summary: "Can I transfer a live call to one of this route's queues now, and to which?",
  auth: 'caller',
  input: { path: z.object({ id: queueIdParam }), query: availabilityQuery },
  answers: {
    200: {
      description:
        "The chosen queue's answer plus route and tried (or no_queue_available): JSON by default, `true`/`false` for format=text, a number for format=count",
      json: routeAnswerSchema,
      text: textAnswerSchema,
    },
  },
  async handle({ runtime, caller, event, headers, input }) {
    const { route, caller: asking } = visibleRoute(runtime, caller, input.path.id);
    const callerId = requestCallerId(event);
    const state = requestState(event);
    const format = input.query.format ?? formatFromAccept(headers['accept']);
    const answer = await checkRouteCall(runtime, { route, caller: asking, callerId, state, logFields: { format } });
    runtime.traffic.answered(route.id, asking.name, answer.canTransfer, answer.reason);
    return formatRouteAnswer(answer, format);
  },
});

export function formatRouteAnswer(answer: RouteAnswer, format: Format): APIGatewayProxyResult {
  if (format === 'text') return textResponse(200, String(answer.canTransfer));
  if (format === 'count') return textResponse(200, String(isChosen(answer) ? transferCount(answer) : 0));
  return jsonResponse(200, answer);
}

export const releaseRouteHoldRoute = defineRoute({
  method: 'DELETE',
  resource: '/v1/routes/{id}/holds/{callerId}',
  summary: "Release this caller's hold for a callerId on whichever of the route's queues holds it (an admin: whoever placed it)",
  auth: 'caller',
  input: { path: z.object({ id: queueIdParam, callerId: callerIdSchema }), query: z.object({}) },
  answers: {
    204: { description: 'Released: the agent is free for other calls (empty body)' },
    404: {
      description:
        'hold_not_found: no member of the route holds an agent for this callerId for this caller; or queue_not_found (no such route for this caller)',
      json: errorAnswerSchema,
    },
    503: {
      description: 'state_unavailable (with Retry-After: 5): the state store did not confirm the release in time; repeat it (repeating is harmless)',
      json: errorAnswerSchema,
    },
  },
  async handle({ runtime, caller, input }) {
    const { callerId } = input.path;
    const { route, caller: owner } = visibleRoute(runtime, caller, input.path.id);
    if (!(await releaseOnMembers(runtime, route, owner, callerId)))
      throw new RequestError('hold_not_found', `no hold of yours for callerId "${callerId}" on route "${route.id}"`);
    return noContentResponse();
  },
});

/** Every member is asked (a hold stands on at most one, but an admin frees every caller's). */
async function releaseOnMembers(runtime: Runtime, route: GateRoute, owner: Caller, callerId: string): Promise<boolean> {
  const context = { store: runtime.store, now: runtime.now() };
  const released = await Promise.all(
    route.queues.map((queueId) =>
      owner.admin ? releaseHoldsFor(context, queueId, callerId, owner.name) : releaseHold(context, queueId, owner.name, callerId),
    ),
  );
  return released.includes(true);
}
