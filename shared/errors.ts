/**
 * The gate's small error hierarchy. Nothing here knows HTTP responses: the edge
 * (shared/api/error-response.ts) maps these to status codes in one place.
 * Messages never carry credentials, token-bearing URLs or vendor bodies.
 */

export const vendorErrorKinds = ['timeout', 'auth', 'rate_limited', 'not_found', 'bad_request', 'server', 'bad_payload', 'network'] as const;
export type VendorErrorKind = (typeof vendorErrorKinds)[number];

export interface VendorErrorDetails {
  status?: number;
  /** How long the vendor asked us to wait before calling again. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** A vendor could not be read. The gate's policy decides what the caller is told. */
export class VendorError extends Error {
  override readonly name = 'VendorError';
  readonly kind: VendorErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(kind: VendorErrorKind, message: string, details: VendorErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** gate.config.json (or another config input) is invalid; the message lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A secret is missing, unreadable or lacks a field. Names the secret and field, never values. */
export class SecretError extends Error {
  override readonly name = 'SecretError';
}

/** Errors a caller can cause; their message is safe to show (middy's `expose` idea). */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    readonly code:
      'unauthorized' | 'queue_not_found' | 'invalid_request' | 'not_found' | 'forbidden' | 'hold_not_found' | 'override_not_found' | 'state_unavailable',
    message: string,
  ) {
    super(message);
  }
}

/** A seller over its pingsPerMinute (docs/operators/limits.md): HTTP 429 with Retry-After. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * The state store could not confirm a shared promise (a hold, an override write) within its
 * budget. Such a promise is never kept in one container's memory instead (docs/on-call/when-things-fail.md): the gate's policy `onStoreError` decides the answer, and an override write is a 503.
 */
export class StateUnavailableError extends Error {
  override readonly name = 'StateUnavailableError';
}

/** The scheduled check found queues whose check failed inside the gate (not at the vendor). */
export class ScheduledCheckError extends Error {
  override readonly name = 'ScheduledCheckError';
}

/** What a caller is told when the gate fails: never internals, stacks, vendor bodies or secrets. */
export const internalErrorMessage = 'the gate could not answer; try again';
