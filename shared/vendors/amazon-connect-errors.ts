/**
 * What an AWS SDK error from Amazon Connect (or from STS, for an assumed role) means to the gate
 * (docs/operators/vendors/amazon-connect.md, "Errors"): mapped by the error's `name`, then by its
 * HTTP status. The SDK's own message is never kept (it may quote the request); the AWS request id
 * is, for the logs.
 */
import { VendorError, type VendorErrorKind } from '../errors';
import { kindForStatus } from './http-client';
import { parseRetryAfter } from './retry-after';

/** Connect gives no Retry-After on a throttle: back off at least this long (a Retry-After, if one comes, when longer). */
export const connectThrottleBackoffMs = 1000;

const kindsByName: Readonly<Record<string, VendorErrorKind>> = {
  // Connect's own errors (the operation's error list).
  InvalidParameterException: 'bad_request',
  InvalidRequestException: 'bad_request',
  ResourceNotFoundException: 'not_found',
  ThrottlingException: 'rate_limited',
  TooManyRequestsException: 'rate_limited',
  LimitExceededException: 'rate_limited',
  InternalServiceException: 'server',
  // AWS common errors [assumed: the standard AWS JSON-protocol names].
  AccessDeniedException: 'auth',
  UnrecognizedClientException: 'auth',
  InvalidSignatureException: 'auth',
  ExpiredTokenException: 'auth',
  IncompleteSignature: 'auth',
  MissingAuthenticationToken: 'auth',
  ValidationException: 'bad_request',
  ServiceUnavailableException: 'server',
  // STS AssumeRole (an assumed role's trust policy or external id, or a disabled Region).
  AccessDenied: 'auth',
  InvalidClientTokenId: 'auth',
  SignatureDoesNotMatch: 'auth',
  ExpiredToken: 'auth',
  RegionDisabledException: 'auth',
  Throttling: 'rate_limited',
  MalformedPolicyDocument: 'bad_request',
  PackedPolicyTooLarge: 'bad_request',
};

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
  $response?: { headers?: Record<string, string | undefined> };
  cause?: { code?: unknown };
}

/** A typed VendorError for anything the SDK threw; `signal` tells a timeout from other aborts. */
export function connectVendorError(thrown: unknown, signal: AbortSignal, service = 'Amazon Connect'): VendorError {
  if (thrown instanceof VendorError) return thrown;
  if (signal.aborted) return new VendorError('timeout', `${service} did not answer within the time budget`);
  const error = (thrown ?? {}) as SdkErrorShape;
  const name = typeof error.name === 'string' ? error.name : 'Error';
  const status = typeof error.$metadata?.httpStatusCode === 'number' ? error.$metadata.httpStatusCode : undefined;
  const requestId =
    typeof error.$metadata?.requestId === 'string' && /^[\w-]{1,100}$/.test(error.$metadata.requestId) ? ` (request id ${error.$metadata.requestId})` : '';
  const kind = kindOf(name, status, error);
  const details = { status, ...(kind === 'rate_limited' && service === 'Amazon Connect' && { retryAfterMs: throttleWaitMs(error) }) };
  if (kind === 'network') return new VendorError(kind, `could not reach ${service}${networkCode(error)}`);
  return new VendorError(kind, `${service} answered ${safeName(name)}${status ? ` (HTTP ${status})` : ''}${requestId}`, details);
}

function kindOf(name: string, status: number | undefined, error: SdkErrorShape): VendorErrorKind {
  const named = kindsByName[name];
  if (named) return named;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  // A 2xx the SDK could not read (an HTML page, cut-off JSON): the answer, not the transport, was wrong.
  if (status !== undefined && status >= 200 && status < 300) return 'bad_payload';
  if (status !== undefined) return kindForStatus(status);
  if (error.$response !== undefined || name === 'SyntaxError') return 'bad_payload';
  return networkCode(error) ? 'network' : 'bad_payload';
}

/** The later of a Retry-After the answer may carry and the 1 s floor. */
function throttleWaitMs(error: SdkErrorShape): number {
  const hinted = parseRetryAfter(error.$response?.headers?.['retry-after'] ?? null, Date.now());
  return Math.max(connectThrottleBackoffMs, hinted ?? 0);
}

function networkCode(error: SdkErrorShape): string {
  const code = error.code ?? error.cause?.code;
  return typeof code === 'string' && /^E[A-Z0-9_]{2,40}$/.test(code) ? ` (${code})` : '';
}

/** Error names are the service's identifiers; anything else is not repeated. */
function safeName(name: string): string {
  return /^[A-Za-z][A-Za-z0-9.]{0,80}$/.test(name) ? name : 'an error';
}
