/**
 * Amazon Connect contact flows (docs/callers/amazon-connect.md): the flow names a queue with
 * `Details.Parameters.queue` or a route with `Details.Parameters.route` (never both), and gets
 * back the flat map of strings of flat-answer.ts.
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '../zod-locale';
import { queueIdPattern } from '../config/fields';
import { RequestError, internalErrorMessage } from '../errors';
import { checkCall, checkRouteCall } from '../check/check-call';
import { type UsState, parseUsState } from '../geo';
import { callerIdProblem } from '../gate';
import { logger } from '../logger';
import { queueAnswer } from '../routes/destination';
import type { Runtime } from '../runtime';
import { type ContactFlowAnswer, flowError, routeContactFlowAnswer, toContactFlowAnswer } from './flat-answer';

export { type ContactFlowAnswer, type ContactFlowReason, toContactFlowAnswer } from './flat-answer';

/**
 * `schema`'s value, or undefined when it does not match (what `z.catch(schema, undefined)` does):
 * zod/mini's `catch` pulls zod's whole util namespace (7 KiB) into the bundle.
 */
const orUndefined = <T extends z.ZodMiniType>(schema: T) =>
  z.union([
    schema,
    z.pipe(
      z.unknown(),
      z.transform(() => undefined),
    ),
  ]);

/** Minimal and tolerant: Connect sends much more (contact data, attributes); only the parameters are read. */
const contactFlowInputSchema = z.object({
  Details: z.object({
    ContactData: orUndefined(z.optional(z.object({ ContactId: orUndefined(z.optional(z.string().check(z.regex(/^[A-Za-z0-9-]{1,128}$/)))) }))),
    Parameters: z.optional(
      z.object({ queue: z.optional(z.string()), route: z.optional(z.string()), callerId: z.optional(z.string()), state: z.optional(z.string()) }),
    ),
  }),
});
type FlowParameters = NonNullable<z.output<typeof contactFlowInputSchema>['Details']['Parameters']>;

/** Connect is authorized by the function's resource policy, so every line names it as the caller. */
export const connectCallerName = 'amazon-connect';

/** What the flow asked for: one queue or one route, and the call. */
type FlowTarget = { kind: 'queue' | 'route'; id: string; callerId?: string; state?: UsState };

export async function answerContactFlow(runtime: Runtime, event: ConnectContactFlowEvent): Promise<ContactFlowAnswer> {
  const input = contactFlowInputSchema.safeParse(event);
  const details = input.success ? input.data.Details : undefined;
  // ContactId correlates with Connect's own logs; the customer's number is never logged.
  logger.addRequestKeys({ caller: connectCallerName, contactId: details?.ContactData?.ContactId });
  const target = flowTarget(details?.Parameters ?? {});
  if ('reason' in target) {
    logger.warn('contact flow with invalid parameters', { reason: target.reason });
    return target;
  }
  const ids = { [target.kind]: target.id };
  try {
    return target.kind === 'route' ? await answerFlowRoute(runtime, target) : await answerFlowQueue(runtime, target);
  } catch (error) {
    // The flow's own mistake (a callerId a limited queue needs): an answer it can branch on.
    if (error instanceof RequestError) return flowError(ids, 'invalid_request', error.message);
    // A flow must always get an answer it can branch on; the details stay in the logs.
    logger.error('contact flow check failed', { errorName: (error as Error)?.name, detail: (error as Error)?.message });
    return flowError(ids, 'internal_error', internalErrorMessage);
  }
}

/** The queue or route and the callerId, or the invalid_request answer that says what to fix. */
function flowTarget(parameters: FlowParameters): FlowTarget | ContactFlowAnswer {
  // An empty value counts as none: a flow passes "" when the contact attribute it maps is unset.
  const queue = parameters.queue?.trim() || undefined;
  const route = parameters.route?.trim() || undefined;
  if (queue !== undefined && route !== undefined) return flowError({}, 'invalid_request', 'set the Lambda function parameter "queue" or "route", not both');
  const kind = route !== undefined ? 'route' : 'queue';
  const id = route ?? queue ?? '';
  if (!queueIdPattern.test(id))
    return flowError({}, 'invalid_request', 'set the Lambda function parameter "queue" to a queue id (or "route" to a route id) from gate.config.json');
  // Like ?callerId= (docs/operators/holds.md): validated on every queue, used where holds are on.
  const callerId = parameters.callerId || undefined;
  const callerIdError = callerId === undefined ? undefined : callerIdProblem(callerId);
  if (callerIdError)
    return flowError({ [kind]: id }, 'invalid_request', `set the Lambda function parameter "callerId" to the caller's number: ${callerIdError}`);
  // docs/operators/limits.md: `state` like the query parameter; empty counts as none.
  const stateText = parameters.state || undefined;
  const state = stateText === undefined ? undefined : parseUsState(stateText);
  if (stateText !== undefined && !state)
    return flowError(
      { [kind]: id },
      'invalid_request',
      'set the Lambda function parameter "state" to a USPS code of a US state, DC or PR (e.g. TX), or leave it empty',
    );
  return { kind, id, ...(callerId !== undefined && { callerId }), ...(state !== undefined && { state }) };
}

async function answerFlowQueue(runtime: Runtime, { id, callerId, state }: FlowTarget): Promise<ContactFlowAnswer> {
  logger.addRequestKeys({ queue: id });
  const queue = runtime.config.queues.get(id);
  if (!queue) {
    logger.warn('contact flow asked for an unknown queue', { reason: 'queue_not_found' });
    return flowError({ queue: id }, 'queue_not_found', `no queue "${id}" in gate.config.json`);
  }
  const { decision } = await checkCall(runtime, { queue, caller: { name: connectCallerName }, callerId, state });
  runtime.traffic.answered(queue.id, connectCallerName, decision.canTransfer, decision.reason);
  return toContactFlowAnswer(queueAnswer(decision, queue, undefined, runtime.now()));
}

async function answerFlowRoute(runtime: Runtime, { id, callerId, state }: FlowTarget): Promise<ContactFlowAnswer> {
  logger.addRequestKeys({ route: id });
  const route = runtime.config.routes.get(id);
  if (!route) {
    logger.warn('contact flow asked for an unknown route', { reason: 'queue_not_found' });
    return flowError({ route: id }, 'queue_not_found', `no route "${id}" in gate.config.json`);
  }
  const answer = await checkRouteCall(runtime, { route, caller: { name: connectCallerName }, callerId, state });
  runtime.traffic.answered(route.id, connectCallerName, answer.canTransfer, answer.reason);
  return routeContactFlowAnswer(answer);
}
