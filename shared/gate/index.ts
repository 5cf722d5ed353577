/** The gate core: pure decision (decide.ts), read orchestration (read.ts), budgets (budget.ts) and the Gate. */
export { type Decision, type DecisionReason, type DecisionSource, type ReadResult, decide } from './decide';
export { type CheckRequest, Gate, type GateCheck, type GateDeps, type GateProbe } from './gate';
export { type ReadOutcome, type ReadSpec, Reader, type VendorRead } from './read';
export { failureAfter, maxBackoffMs, maxBlockMs, pollEveryMs, toVendorError } from './read-rules';
export { budgetedHttp, defaultCallsPerMinute, resolveVendorBudgets } from './budget';
export { type HoldEvent, type HoldRequest, callerIdPattern, callerIdProblem, callerIdRule, logHold, releaseHold, releaseHoldsFor } from './holds';
export { type PromiseContext, type PromiseRequest, applySharedPromises, countHolds, promiseNeeded, unconfirmed } from './shared-promises';
export { Overrides, type QueueHours, closedDecision, hoursAt, overrideCacheMs, withClosesAt } from './hours';
