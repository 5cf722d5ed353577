/**
 * DELETE /v1/queues/{id}/holds/{callerId} (docs/operators/holds.md): the caller that placed a
 * hold releases it early (the transfer failed, or the call connected and the vendor now counts
 * the agent busy). Only the caller (by name) that placed it may: another caller's hold, like no
 * hold at all, is 404 hold_not_found, so a caller learns nothing about other callers' calls.
 * An admin caller releases the callerId's hold whoever placed it (docs/on-call/console.md).
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { RequestError } from '../errors';
import type { Caller } from '../callers';
import { releaseHold, releaseHoldsFor } from '../gate';
import { normalizeCallerId } from '../geo';
import type { Runtime } from '../runtime';
import { errorAnswerSchema } from './answer-schemas';
import { callerIdSchema } from './caller-id';
import { queueIdParam, visibleQueue } from './queue-access';
import { defineRoute } from './route';
import { noContentResponse } from './responses';

export const releaseHoldRoute = defineRoute({
  method: 'DELETE',
  resource: '/v1/queues/{id}/holds/{callerId}',
  summary: 'Release the hold this caller placed for a callerId (an admin: whoever placed it)',
  auth: 'caller',
  input: {
    path: z.object({ id: queueIdParam, callerId: callerIdSchema }),
    query: z.object({}),
  },
  answers: {
    204: { description: 'Released: the agent is free for other calls (empty body)' },
    404: {
      description:
        'hold_not_found: this caller holds no agent for this callerId (never placed, expired, released, or placed by another caller; for an admin: no caller holds one); or queue_not_found',
      json: errorAnswerSchema,
    },
    503: {
      description: 'state_unavailable (with Retry-After: 5): the state store did not confirm the release in time; repeat it (repeating is harmless)',
      json: errorAnswerSchema,
    },
  },
  async handle({ runtime, caller, input }) {
    const { id: queueId } = input.path;
    // Holds key on the E.164 form of a North American number (docs/operators/limits.md, "callerId forms").
    const callerId = normalizeCallerId(input.path.callerId);
    const { caller: owner } = visibleQueue(runtime, caller, queueId);
    const context = { store: runtime.store, now: runtime.now() };
    if (owner.admin) {
      const holders = await releaseHoldsFor(context, queueId, callerId, owner.name);
      if (holders.length === 0) throw new RequestError('hold_not_found', `no hold for callerId "${input.path.callerId}" on queue "${queueId}"`);
      const callers = await runtime.callers();
      for (const holder of holders)
        await freeSlot(
          runtime,
          callers.find((entry) => entry.name === holder),
          queueId,
          callerId,
        );
      return noContentResponse();
    }
    const released = await releaseHold(context, queueId, owner.name, callerId);
    if (!released) throw new RequestError('hold_not_found', `no hold of yours for callerId "${input.path.callerId}" on queue "${queueId}"`);
    await freeSlot(runtime, owner, queueId, callerId);
    return noContentResponse();
  },
});

/** A released hold frees its seller's maxHolds slot (a counted transfer is not given back). */
async function freeSlot(runtime: Runtime, holder: Caller | undefined, queueId: string, callerId: string): Promise<void> {
  const maxHolds = holder?.limits?.maxHolds;
  if (holder && maxHolds !== undefined) await runtime.store.freeHoldSlot(holder.name, maxHolds, queueId, callerId);
}
