/** What every queue route checks first: a well-formed id, and a queue this caller may see. */
import * as z from 'zod/mini';
import '../zod-locale';
import { type Caller, mayAccess } from '../callers';
import type { GateQueue, GateRoute } from '../config/gate-config';
import { queueIdPattern } from '../config/fields';
import { RequestError } from '../errors';
import { logger } from '../logger';
import type { Runtime } from '../runtime';

/** The `{id}` path parameter of every queue route. */
export const queueIdParam = z.string().check(z.regex(queueIdPattern, 'queue id must match ^[a-z0-9][a-z0-9_-]{0,63}$'));

/**
 * The queue, when it is configured and the caller may see it; its id goes on the request's log
 * lines. Unknown and not-allowed queues look the same (404), so a caller cannot discover other queues.
 */
export function visibleQueue(runtime: Runtime, caller: Caller, queueId: string): { queue: GateQueue; caller: Caller } {
  logger.addRequestKeys({ queue: queueId });
  const queue = runtime.config.queues.get(queueId);
  if (!queue || !mayAccess(caller, queueId)) throw new RequestError('queue_not_found', `no queue "${queueId}" for this caller`);
  return { queue, caller };
}

/**
 * The route, when it is configured and the caller may see it (its `queues` names the route id, or
 * `*`). Seeing a route does not let a caller ask its members one by one; an unknown or hidden
 * route is a 404 queue_not_found like a queue (docs/callers/routes-and-destinations.md).
 */
export function visibleRoute(runtime: Runtime, caller: Caller | undefined, routeId: string): { route: GateRoute; caller: Caller } {
  if (!caller) throw new RequestError('unauthorized', 'present a key');
  logger.addRequestKeys({ route: routeId });
  const route = runtime.config.routes.get(routeId);
  if (!route || !mayAccess(caller, routeId)) throw new RequestError('queue_not_found', `no route "${routeId}" for this caller`);
  return { route, caller };
}
