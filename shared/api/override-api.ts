/**
 * PUT, GET and DELETE /v1/queues/{id}/override (docs/operators/hours-and-overrides.md): emergency overrides,
 * for admin callers only. Order of refusals: a queue the caller may not see is 404
 * queue_not_found (as on every route: queues are not discoverable), then a caller that is not an
 * admin is 403 forbidden, then the body (PUT) is checked (400). GET needs admin too: an override's
 * note is operator text, not for lead vendors.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import type { Caller } from '../callers';
import { RequestError, StateUnavailableError } from '../errors';
import { logger } from '../logger';
import type { Runtime } from '../runtime';
import type { Override } from '../state/store';
import { errorAnswerSchema } from './answer-schemas';
import { queueIdParam, visibleQueue } from './queue-access';
import { jsonResponse, noContentResponse } from './responses';
import { defineRoute } from './route';

export const maxNoteLength = 500;

const overridePath = { path: z.object({ id: queueIdParam }), query: z.object({}) };

/** The PUT body; unknown keys are refused so a typo (`untill`) is not silently an override without an end. */
export const overrideRequestSchema = z
  .strictObject({
    state: z.enum(['closed', 'open'], 'state must be "closed" or "open"'),
    until: z.optional(z.iso.datetime({ offset: true, error: 'until must be an ISO-8601 instant with a time zone, e.g. 2026-11-22T18:00:00Z' })),
    note: z.optional(z.string().check(z.maxLength(maxNoteLength, `note must be at most ${maxNoteLength} characters`))),
  })
  .check(z.meta({ id: 'OverrideRequest' }));

export const overrideAnswerSchema = z
  .object({
    queue: z.string(),
    state: z.enum(['closed', 'open']),
    until: z.nullable(z.string()).check(z.describe('ISO-8601 UTC instant the override ends; null: until deleted')),
    note: z.nullable(z.string()),
    setBy: z.string().check(z.describe('the admin caller that set it')),
    setAt: z.string().check(z.describe('ISO-8601 UTC instant')),
  })
  .check(z.meta({ id: 'Override' }));

const forbiddenAnswer = { description: 'forbidden: the caller is not an admin', json: errorAnswerSchema };
const unavailableAnswer = {
  description:
    'state_unavailable (with Retry-After: 5): the state store did not confirm in time, and no gate applies the change on the strength of this request; check with GET, then repeat (repeating is harmless)',
  json: errorAnswerSchema,
};
const unreadableAnswer = {
  description: 'state_unavailable (with Retry-After: 5): the state store cannot be read and this gate has not read this override before',
  json: errorAnswerSchema,
};

/** A write the store did not confirm: 503 (docs/on-call/when-things-fail.md); it may still land, so the admin checks and repeats. */
async function confirmed<T>(write: Promise<T>, what: string): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (!(error instanceof StateUnavailableError)) throw error;
    throw new RequestError(
      'state_unavailable',
      `the state store did not confirm ${what} in time, and no gate applies it on the strength of this request; it may still land: check with GET, then repeat (repeating is harmless)`,
    );
  }
}
const notFoundAnswer = { description: 'queue_not_found, override_not_found, or not_found (no such route)', json: errorAnswerSchema };

export const putOverrideRoute = defineRoute({
  method: 'PUT',
  resource: '/v1/queues/{id}/override',
  summary: 'Close or open a queue regardless of its schedule (admin callers)',
  auth: 'caller',
  input: { ...overridePath, body: overrideRequestSchema },
  answers: { 200: { description: 'The override now in force', json: overrideAnswerSchema }, 403: forbiddenAnswer, 404: notFoundAnswer, 503: unavailableAnswer },
  async handle({ runtime, caller, input }) {
    const { queueId, admin } = adminOn(runtime, caller, input.path.id);
    const { overrides } = runtime.gate;
    const override = toOverride(input.body, admin.name, overrides.now());
    await confirmed(overrides.put(queueId, override), 'the override');
    logger.info('override set', {
      queue: queueId,
      caller: admin.name,
      state: override.state,
      until: isoOrNull(override.until),
      noteLength: override.note?.length ?? 0,
    });
    return jsonResponse(200, overrideAnswer(queueId, override));
  },
});

export const getOverrideRoute = defineRoute({
  method: 'GET',
  resource: '/v1/queues/{id}/override',
  summary: "The queue's override in force (admin callers)",
  auth: 'caller',
  input: overridePath,
  answers: {
    200: { description: 'The override in force (while the state store cannot be read: the last one this gate read)', json: overrideAnswerSchema },
    403: forbiddenAnswer,
    404: notFoundAnswer,
    503: unreadableAnswer,
  },
  async handle({ runtime, caller, input }) {
    const { queueId } = adminOn(runtime, caller, input.path.id);
    const override = await readable(runtime.gate.overrides.get(queueId));
    if (!override) throw new RequestError('override_not_found', `queue "${queueId}" has no override in force`);
    return jsonResponse(200, overrideAnswer(queueId, override));
  },
});

export const deleteOverrideRoute = defineRoute({
  method: 'DELETE',
  resource: '/v1/queues/{id}/override',
  summary: "End the queue's override: its schedule applies again (admin callers)",
  auth: 'caller',
  input: overridePath,
  answers: { 204: { description: 'Ended' }, 403: forbiddenAnswer, 404: notFoundAnswer, 503: unavailableAnswer },
  async handle({ runtime, caller, input }) {
    const { queueId, admin } = adminOn(runtime, caller, input.path.id);
    // An expired override is ended too (the store drops it), but there was nothing in force to end.
    const inForce = await confirmed(runtime.gate.overrides.delete(queueId), 'the end of the override');
    if (!inForce) throw new RequestError('override_not_found', `queue "${queueId}" has no override in force`);
    logger.info('override deleted', {
      queue: queueId,
      caller: admin.name,
      state: inForce.state,
      until: isoOrNull(inForce.until),
      noteLength: inForce.note?.length ?? 0,
    });
    return noContentResponse();
  },
});

/** A read this gate cannot answer from what it knows: 503. */
async function readable<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (!(error instanceof StateUnavailableError)) throw error;
    throw new RequestError('state_unavailable', 'the state store cannot be read now and this gate has not read this override before; try again shortly');
  }
}

/** The queue, if the caller may see it (else 404, as for any queue) and is an admin (else 403). */
function adminOn(runtime: Runtime, asking: Caller, queueId: string): { queueId: string; admin: Caller } {
  const { caller } = visibleQueue(runtime, asking, queueId);
  if (!caller.admin) throw new RequestError('forbidden', 'overrides need a caller whose entry in the callers secret has "admin": true');
  return { queueId, admin: caller };
}

function toOverride(body: z.output<typeof overrideRequestSchema>, setBy: string, now: number): Override {
  const until = body.until === undefined ? undefined : Date.parse(body.until);
  if (until !== undefined && until <= now) throw new RequestError('invalid_request', 'until must be in the future');
  return { state: body.state, ...(until !== undefined && { until }), ...(body.note !== undefined && { note: body.note }), setBy, setAt: now };
}

function isoOrNull(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}

export function overrideAnswer(queueId: string, override: Override) {
  return {
    queue: queueId,
    state: override.state,
    until: isoOrNull(override.until),
    note: override.note ?? null,
    setBy: override.setBy,
    setAt: new Date(override.setAt).toISOString(),
  };
}
