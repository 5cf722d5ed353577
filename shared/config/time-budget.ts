/**
 * The one rule for time: a caller always gets the gate's answer before API Gateway gives up.
 *
 *   function timeout = largest queue timeoutMs + time outside any queue budget  <=  28 s  <  29 s
 *
 * so the largest `timeoutMs` a config may set is 28 s - 7 s = 21 s. The config schema
 * (fields.ts) enforces that maximum and the stack (infra/function-timeout.ts) derives each
 * function's timeout from it, so the two cannot drift apart. No AWS or zod import: the config
 * schema in the functions' bundles uses it too.
 */

/** API Gateway (REST) ends an integration after 29 s and answers 504 itself. */
export const apiGatewayTimeoutMs = 29_000;

/**
 * The longest a function may run. The second below API Gateway's limit covers what runs outside
 * the Lambda timeout but inside API Gateway's: a cold start's init (Lambda times it apart from the
 * invocation; this bundle loads in well under a second) and the answer's trip back.
 */
export const maxFunctionTimeoutMs = 28_000;

/**
 * Reading the callers secret outside the queue's budget: shared/secrets.ts allows two tries of up
 * to 1 s to connect and 2 s to answer. (Vendor secrets and tokens are inside `timeoutMs`.)
 */
export const callersSecretReserveMs = 6_000;

/**
 * Shared-state store calls outside the queue's budget (docs/operators/shared-state.md): each call has
 * a 200 ms budget before the request falls back to memory, and a request makes a few of them
 * (read the shared reading, take the refresh lease, write the result or a hold). The wait for
 * another container's lease is inside `timeoutMs`, not here.
 */
export const stateStoreReserveMs = 1_000;

/** Time a request may spend outside its queue's `timeoutMs`. */
export const outsideBudgetMs = callersSecretReserveMs + stateStoreReserveMs;

/** The largest `timeoutMs` a queue may have: 21000. */
export const maxQueueTimeoutMs = maxFunctionTimeoutMs - outsideBudgetMs;

/** Why `timeoutMs` stops at maxQueueTimeoutMs, for the config error message. */
export const maxQueueTimeoutReason =
  `must be at most ${maxQueueTimeoutMs}: the function timeout is timeoutMs + ${outsideBudgetMs / 1000} s ` +
  `(callers secret, state store) and must stay within ${maxFunctionTimeoutMs / 1000} s, ` +
  `so that the gate answers before API Gateway gives up at ${apiGatewayTimeoutMs / 1000} s`;

/**
 * The function timeout in whole seconds (what Lambda accepts) for the largest queue budget.
 * Throws on a budget above maxQueueTimeoutMs: a validated config never has one.
 */
export function functionTimeoutSeconds(largestQueueTimeoutMs: number): number {
  if (largestQueueTimeoutMs > maxQueueTimeoutMs) {
    throw new RangeError(`timeoutMs ${largestQueueTimeoutMs} ${maxQueueTimeoutReason}`);
  }
  return Math.ceil((largestQueueTimeoutMs + outsideBudgetMs) / 1000);
}
