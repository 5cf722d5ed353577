/**
 * DELETE /v1/queues/{id}/holds/{callerId} (gate-contract.md section 7): the caller that placed a
 * hold releases it early (the transfer failed, or the call connected and the vendor now counts
 * the agent busy). Only the caller (by name) that placed it may: another caller's hold, like no
 * hold at all, is 404 hold_not_found, so a caller learns nothing about other callers' calls.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { RequestError } from '../errors';
import { releaseHold } from '../gate';
import { normalizeCallerId } from '../geo';
import { errorAnswerSchema } from './answer-schemas';
import { callerIdSchema } from './caller-id';
import { queueIdParam, visibleQueue } from './queue-access';
import { defineRoute } from './route';
import { noContentResponse } from './responses';

export const releaseHoldRoute = defineRoute({
  method: 'DELETE',
  resource: '/v1/queues/{id}/holds/{callerId}',
  summary: 'Release the hold this caller placed for a callerId',
  auth: 'caller',
  input: {
    path: z.object({ id: queueIdParam, callerId: callerIdSchema }),
    query: z.object({}),
  },
  answers: {
    204: { description: 'Released: the agent is free for other calls (empty body)' },
    404: { description: 'hold_not_found: this caller holds no agent for this callerId (never placed, expired, released, or placed by another caller); or queue_not_found', json: errorAnswerSchema },
    503: { description: 'state_unavailable (with Retry-After: 5): the state store did not confirm the release in time; repeat it (repeating is harmless)', json: errorAnswerSchema },
  },
  async handle({ runtime, caller, input }) {
    const { id: queueId } = input.path;
    // Holds key on the E.164 form of a North American number (docs/operators/limits.md, "callerId forms").
    const callerId = normalizeCallerId(input.path.callerId);
    const { caller: owner } = visibleQueue(runtime, caller, queueId);
    const released = await releaseHold({ store: runtime.store, now: runtime.now() }, queueId, owner.name, callerId);
    if (!released) throw new RequestError('hold_not_found', `no hold of yours for callerId "${input.path.callerId}" on queue "${queueId}"`);
    // A released hold frees its seller's maxHolds slot (a counted transfer is not given back).
    const maxHolds = owner.limits?.maxHolds;
    if (maxHolds !== undefined) await runtime.store.freeHoldSlot(owner.name, maxHolds, queueId, callerId);
    return noContentResponse();
  },
});
