/**
 * The one place where errors become HTTP responses (a middy middleware at the edge). Only
 * RequestErrors show their message; anything else is a bare 500 with nothing internal in it.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { RateLimitedError, RequestError, StateUnavailableError, internalErrorMessage } from '../errors';
import { logger } from '../logger';
import { errorBody, jsonResponse } from './responses';
import { countUnauthorizedRequest } from './unauthorized-metric';

const statusForCode: Record<RequestError['code'], number> = {
  unauthorized: 401,
  queue_not_found: 404,
  invalid_request: 400,
  not_found: 404,
  forbidden: 403,
  hold_not_found: 404,
  override_not_found: 404,
  state_unavailable: 503,
};

/** Seconds a caller should wait before repeating a write the state store did not confirm. */
export const stateRetryAfterSeconds = 5;

/** A state-store write that was not confirmed, when the route gave no message of its own. */
const stateUnavailableMessage = 'the state store did not confirm this change in time; it may still land: check, then repeat (repeating is harmless)';

export function toErrorResponse(error: unknown): APIGatewayProxyResult {
  if (error instanceof StateUnavailableError) return toErrorResponse(new RequestError('state_unavailable', stateUnavailableMessage));
  if (error instanceof RateLimitedError) {
    const response = jsonResponse(429, errorBody('rate_limited', error.message));
    response.headers = { ...response.headers, 'Retry-After': String(error.retryAfterSeconds) };
    return response;
  }
  if (error instanceof RequestError) {
    if (error.code === 'unauthorized') countUnauthorizedRequest();
    const response = jsonResponse(statusForCode[error.code], errorBody(error.code, error.message));
    if (error.code === 'state_unavailable') response.headers = { ...response.headers, 'Retry-After': String(stateRetryAfterSeconds) };
    return response;
  }
  // Our own errors carry safe messages by construction; the stack never leaves the logs.
  logger.error('request failed', { errorName: (error as Error)?.name, detail: (error as Error)?.message });
  return jsonResponse(500, errorBody('internal_error', internalErrorMessage));
}

export function httpErrorResponse(): MiddlewareObj<unknown, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      request.response = toErrorResponse(request.error);
    },
  };
}
