/**
 * GET /v1/queues/{id}/availability (docs/callers/http-api.md): the route and its answer formats.
 * Throws RequestErrors; the edge shapes them.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import '../zod-locale';
import type { Decision } from '../gate';
import { checkCall } from '../check/check-call';
import { parseUsState, type UsState, usStateCodes } from '../geo';
import { RequestError } from '../errors';
import { availabilityAnswerSchema, textAnswerSchema } from './answer-schemas';
import { callerIdSchema, requestCallerId } from './caller-id';
import { queueIdParam, visibleQueue } from './queue-access';
import { type RequestValueEvent, type RequestValueSource, oneRequestValue, requestValues } from './request-values';
import { jsonResponse, textResponse } from './responses';
import { type QueueAnswer, queueAnswer } from '../routes/destination';
import { defineRoute } from './route';

const formats = ['json', 'text', 'count'] as const;
export type Format = (typeof formats)[number];

/** docs/operators/limits.md: a USPS code of a US state, DC or PR, in any case. */
const stateRule = 'state must be the USPS code of a US state, DC or PR (e.g. TX)';
const stateParam = z
  .string()
  .check(z.refine((value) => parseUsState(value) !== undefined, stateRule))
  .check(
    z.describe(
      `the call's US state (USPS code, any case: ${usStateCodes.join(' ')}); also accepted as the X-Caller-State header, which must then be the same. Without it, the callerId's area code decides`,
    ),
  );

/** The query of every availability route (a queue's and a route's: docs/callers/routes-and-destinations.md). */
export const availabilityQuery = z.object({
  format: z.optional(z.enum(formats, 'format must be one of json, text, count')),
  state: z.optional(stateParam),
  callerId: z
    .optional(callerIdSchema)
    .check(
      z.describe(
        'the call a "yes" should hold an agent for (queues with holdMs > 0), typically the caller number in E.164; ' +
          'also accepted as the X-Caller-Id header, which must then be the same',
      ),
    ),
});

export const availabilityRoute = defineRoute({
  method: 'GET',
  resource: '/v1/queues/{id}/availability',
  summary: 'Can I transfer a live call to this queue now?',
  auth: 'caller',
  input: {
    path: z.object({ id: queueIdParam }),
    query: availabilityQuery,
  },
  answers: {
    200: {
      description: 'The answer: JSON by default, `true`/`false` for format=text, a number for format=count',
      json: availabilityAnswerSchema,
      text: textAnswerSchema,
    },
  },
  async handle({ runtime, caller, event, headers, input }) {
    const { queue, caller: asking } = visibleQueue(runtime, caller, input.path.id);
    const callerId = requestCallerId(event);
    const state = requestState(event);
    const format = input.query.format ?? formatFromAccept(headers['accept']);
    const { decision } = await checkCall(runtime, { queue, caller: asking, callerId, state, logFields: { format } });
    runtime.traffic.answered(queue.id, asking.name, decision.canTransfer, decision.reason);
    return formatDecision(queueAnswer(decision, queue, asking, runtime.now()), format);
  },
});

const stateSource: RequestValueSource = { query: 'state', header: 'x-caller-state', normalize: (text) => text.toUpperCase() };

/**
 * The request's state: `?state=` or `X-Caller-State`, one value (400 when two differ or it is no
 * state). Call it after the route's query schema has accepted the query's state.
 */
export function requestState(event: RequestValueEvent): UsState | undefined {
  const value = oneRequestValue(requestValues(event, stateSource), 'state');
  if (value === undefined) return undefined;
  const state = parseUsState(value);
  if (!state) throw new RequestError('invalid_request', `X-Caller-State: ${stateRule}`);
  return state;
}

export function formatDecision(decision: QueueAnswer, format: Format): APIGatewayProxyResult {
  if (format === 'text') return textResponse(200, String(decision.canTransfer));
  if (format === 'count') return textResponse(200, String(transferCount(decision)));
  return jsonResponse(200, decision);
}

/** How many transfers the gate would accept now, net of holds; one at a time when the vendor or the store is unreadable and the policy allows. */
export function transferCount(decision: Decision): number {
  if (!decision.canTransfer) return 0;
  if (decision.availableAgents === null || decision.heldAgents === null) return 1;
  return decision.availableAgents - (decision.heldAgents ?? 0);
}

/** `Accept: text/plain` picks text when no format is given (and JSON is not also asked for). */
export function formatFromAccept(accept: string | undefined): Format {
  if (!accept) return 'json';
  const types = accept
    .toLowerCase()
    .split(',')
    .map((part) => part.split(';')[0]!.trim());
  return types.includes('text/plain') && !types.includes('application/json') ? 'text' : 'json';
}
