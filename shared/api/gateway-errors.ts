/**
 * Answers API Gateway gives itself, in the gate's error shape: the CDK stack configures them as
 * gateway responses and the local server gives the same ones, so callers see one behaviour.
 */
import { internalErrorMessage } from '../errors';

export interface GatewayErrorAnswer {
  /** Unset: API Gateway's own status for that response type. */
  statusCode?: number;
  code: string;
  message: string;
}

/** API Gateway calls an unknown route "Missing Authentication Token" (403); here it is a 404. */
export const unknownRouteAnswer: GatewayErrorAnswer = { statusCode: 404, code: 'not_found', message: 'no such route; try GET /v1/queues/{id}/availability' };
export const throttledAnswer: GatewayErrorAnswer = { code: 'rate_limited', message: 'too many requests; slow down and retry' };
/** A failed integration (the function crashed or timed out); API Gateway answers 502 or 504. */
export const gatewayFailureAnswer: GatewayErrorAnswer = { code: 'internal_error', message: internalErrorMessage };
/** A body over API Gateway's 10 MB payload limit (gateway response REQUEST_TOO_LARGE, 413). */
export const requestTooLargeAnswer: GatewayErrorAnswer = { statusCode: 413, code: 'invalid_request', message: 'the request body is over the 10 MB limit' };
/**
 * The web ACL's per-IP rate rule (the stack's `wafRateLimit`) blocks with this 429, the same shape,
 * so a caller handles every 429 alike.
 */
export const webAclBlockedAnswer: GatewayErrorAnswer = {
  statusCode: 429,
  code: 'rate_limited',
  message: 'too many requests from this address; retry after the Retry-After seconds',
};
/** Seconds the web ACL's 429 asks a caller to wait: it re-counts each address's requests about every minute. */
export const webAclRetryAfterSeconds = 60;
