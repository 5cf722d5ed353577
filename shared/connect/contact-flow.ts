/**
 * Amazon Connect contact flows (gate-contract.md section 4): the queue id comes from the flow's
 * `Details.Parameters.queue`, the answer goes back as a flat map of strings, the only shape the
 * "Invoke AWS Lambda function" block accepts with STRING_MAP validation. Every answer has the
 * same keys, so a flow can branch on `canTransfer` and `reason` without checking for absence.
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '../zod-locale';
import { queueIdPattern } from '../config/fields';
import { RequestError, internalErrorMessage } from '../errors';
import { checkCall } from '../check/check-call';
import { parseUsState } from '../geo';
import { type Decision, callerIdProblem } from '../gate';
import { logger } from '../logger';
import type { Runtime } from '../runtime';
import { type ContactFlowHoldKeys, holdKeys, noHoldKeys } from './hold-keys';

export type ContactFlowReason = Decision['reason'] | 'invalid_request' | 'queue_not_found' | 'internal_error';

/** What the flow gets back: flat, every value a string, the same keys every time. */
export interface ContactFlowAnswer extends ContactFlowHoldKeys {
  [key: string]: string;
  queue: string;
  canTransfer: 'true' | 'false';
  /** Empty when the vendor could not be read: a failure is never "0 agents". */
  availableAgents: string;
  reason: ContactFlowReason;
  minAvailable: string;
  vendor: string;
  source: string;
  checkedAt: string;
  /** Empty unless the vendor failed (then one of the contract's vendorError kinds). */
  vendorError: string;
  /** Empty unless reason is one of the flow's own errors; says what to fix in the flow. */
  message: string;
  /** Section 8: ISO-8601 instants, empty when none (open queue: opensAt; no schedule or override: both). */
  opensAt: string;
  closesAt: string;
}

/**
 * `schema`'s value, or undefined when it does not match (what `z.catch(schema, undefined)` does):
 * zod/mini's `catch` pulls zod's whole util namespace (7 KiB) into the bundle.
 */
const orUndefined = <T extends z.ZodMiniType>(schema: T) => z.union([schema, z.pipe(z.unknown(), z.transform(() => undefined))]);

/** Minimal and tolerant: Connect sends much more (contact data, attributes); only the parameter is read. */
const contactFlowInputSchema = z.object({
  Details: z.object({
    ContactData: orUndefined(z.optional(z.object({ ContactId: orUndefined(z.optional(z.string().check(z.regex(/^[A-Za-z0-9-]{1,128}$/)))) }))),
    Parameters: z.optional(z.object({ queue: z.optional(z.string()), callerId: z.optional(z.string()), state: z.optional(z.string()) })),
  }),
});

/** Connect is authorized by the function's resource policy, so every line names it as the caller. */
export const connectCallerName = 'amazon-connect';

export async function answerContactFlow(runtime: Runtime, event: ConnectContactFlowEvent): Promise<ContactFlowAnswer> {
  const input = contactFlowInputSchema.safeParse(event);
  const details = input.success ? input.data.Details : undefined;
  const queueId = details?.Parameters?.queue?.trim() ?? '';
  // ContactId correlates with Connect's own logs; the customer's number is never logged.
  const contactId = details?.ContactData?.ContactId;
  logger.addRequestKeys({ caller: connectCallerName, contactId });
  if (!queueIdPattern.test(queueId)) {
    const message = 'set the Lambda function parameter "queue" to a queue id from gate.config.json';
    logger.warn('contact flow without a valid queue parameter', { reason: 'invalid_request' });
    return flowError(queueId, 'invalid_request', message);
  }
  logger.addRequestKeys({ queue: queueId });
  const queue = runtime.config.queues.get(queueId);
  if (!queue) {
    logger.warn('contact flow asked for an unknown queue', { reason: 'queue_not_found' });
    return flowError(queueId, 'queue_not_found', `no queue "${queueId}" in gate.config.json`);
  }
  // Like ?callerId= (section 7): validated on every queue, used where holds are on. An empty
  // value counts as none: a flow passes "" when the contact attribute it maps is unset.
  const callerId = details?.Parameters?.callerId || undefined;
  const callerIdError = callerId === undefined ? undefined : callerIdProblem(callerId);
  if (callerIdError) return flowError(queueId, 'invalid_request', `set the Lambda function parameter "callerId" to the caller's number: ${callerIdError}`);
  // docs/operators/limits.md: `state` like the query parameter; empty counts as none.
  const stateText = details?.Parameters?.state || undefined;
  const state = stateText === undefined ? undefined : parseUsState(stateText);
  if (stateText !== undefined && !state) return flowError(queueId, 'invalid_request', 'set the Lambda function parameter "state" to a USPS code of a US state, DC or PR (e.g. TX), or leave it empty');
  try {
    const { decision } = await checkCall(runtime, { queue, caller: { name: connectCallerName }, callerId, state });
    runtime.traffic.answered(queue.id, connectCallerName, decision.canTransfer, decision.reason);
    return toContactFlowAnswer(decision);
  } catch (error) {
    // The flow's own mistake (a callerId a limited queue needs): an answer it can branch on.
    if (error instanceof RequestError) return flowError(queueId, 'invalid_request', error.message);
    // A flow must always get an answer it can branch on; the details stay in the logs.
    logger.error('contact flow check failed', { errorName: (error as Error)?.name, detail: (error as Error)?.message });
    return flowError(queueId, 'internal_error', internalErrorMessage);
  }
}

export function toContactFlowAnswer(decision: Decision): ContactFlowAnswer {
  return {
    queue: decision.queue,
    canTransfer: decision.canTransfer ? 'true' : 'false',
    availableAgents: decision.availableAgents === null ? '' : String(decision.availableAgents),
    reason: decision.reason,
    minAvailable: String(decision.minAvailable),
    vendor: decision.vendor,
    source: decision.source,
    checkedAt: decision.checkedAt,
    vendorError: decision.vendorError ?? '',
    message: '',
    opensAt: decision.opensAt ?? '',
    closesAt: decision.closesAt ?? '',
    ...holdKeys(decision),
  };
}

function flowError(queue: string, reason: ContactFlowReason, message: string): ContactFlowAnswer {
  return {
    // Only echo a well-formed id: whatever else the flow sent is not ours to repeat.
    queue: queueIdPattern.test(queue) ? queue : '',
    canTransfer: 'false',
    availableAgents: '',
    reason,
    minAvailable: '',
    vendor: '',
    source: '',
    checkedAt: '',
    vendorError: '',
    message,
    opensAt: '',
    closesAt: '',
    ...noHoldKeys,
  };
}
