/**
 * One structured JSON logger for every entry point (Powertools Logger). Lines carry the caller's
 * name and the queue; keys, tokens and vendor bodies are never passed to it.
 *
 * Per-request keys (the request id, caller, queue, contact id) live in an AsyncLocalStorage scope
 * that each handler opens, not on the shared logger: requests overlap wherever one process
 * serves several at once (the local server, Lambda managed instances), and `appendKeys` on the
 * one logger would put one request's keys on another's lines. Reading the scope costs one
 * `getStore()` per line and no environment read.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';

/** Keys a request adds to its own log lines once it knows them. */
export interface RequestLogKeys {
  caller?: string;
  queue?: string;
  /** A route asked for (docs/callers/routes-and-destinations.md); `queue` then names the chosen member on the decision line. */
  route?: string;
  contactId?: string;
}

/** What every line of one invocation carries; the names are the ones Powertools' own context injection uses. */
interface RequestScope extends RequestLogKeys {
  function_request_id: string;
  function_name: string;
  cold_start: boolean;
}

const requestScope = new AsyncLocalStorage<RequestScope>();

class RequestScopedLogger extends Logger {
  /** Adds keys to the current request's lines only; outside a request scope it does nothing. */
  addRequestKeys(keys: RequestLogKeys): void {
    const scope = requestScope.getStore();
    if (scope) Object.assign(scope, keys);
  }

  /** Every level goes through here: the scope's keys first, so a line's own attributes win. */
  protected override processLogItem(logLevel: number, input: LogItemMessage, extraInput: LogItemExtraInput): void {
    const scope = requestScope.getStore();
    if (!scope) return super.processLogItem(logLevel, input, extraInput);
    super.processLogItem(logLevel, typeof input === 'string' ? { ...scope, message: input } : { ...scope, ...input }, extraInput);
  }
}

export const logger = new RequestScopedLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'transfer-gate' });

let coldStart = true;

/**
 * Wraps a Lambda handler so that each invocation logs in its own scope, with its request id.
 * Replaces Powertools' `injectLambdaContext`, which stores the context on the shared logger.
 */
export function withRequestScope<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  // async: the Node.js 24 runtime takes only async (or promise-returning two-parameter) handlers.
  return async (event: E, context: Context): Promise<R> => {
    const scope: RequestScope = { function_request_id: context.awsRequestId, function_name: context.functionName, cold_start: coldStart };
    coldStart = false;
    return requestScope.run(scope, handler, event, context); // arguments passed on: no closure per invocation
  };
}
