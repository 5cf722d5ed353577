/**
 * The port every vendor adapter implements. The gate core and the handlers depend on
 * this module only, never on a vendor file.
 */
import type { HttpHandlerUserInput } from '@smithy/core/protocols';
import type { AwsCredentialIdentity } from '@smithy/types';
import type * as z from 'zod/mini';
import type { HttpClient } from './http-client';

/** The normalized answer of every adapter (README "The vendors"; one page per vendor in docs/operators/vendors/). */
export interface Availability {
  /** Agents free to take a call now. */
  available: number;
  busy?: number;
  away?: number;
  offline?: number;
  total?: number;
  /**
   * Answer fields the vendor declares in its module's `answerExtras` (e.g. Aloware's
   * `unroutableReasons`), copied into the answer after the agent counts.
   */
  extras?: Record<string, unknown>;
}

export interface VendorCheckRequest<Queue, Secret> {
  queue: Queue;
  /**
   * The queue's secret, already validated against the adapter's `secretSchema`; undefined for a
   * queue that names none (only Amazon Connect's schema lets a queue leave `secret` out).
   */
  secret: Secret;
  /** Aborted when the queue's `timeoutMs` budget runs out; pass it to every call. */
  signal: AbortSignal;
  /** Epoch ms at which the budget runs out (for multi-call walks). */
  deadline: number;
  /**
   * The client to make this check's requests with: the gate's, which charges each request to the
   * secret's vendor budget first. Adapters use it when given, else the one of their factory.
   */
  http?: HttpClient;
  /**
   * Given by the gate: charges one vendor request to the queue's budget, or throws a `rate_limited`
   * VendorError when the budget is spent. For requests that do not go through `http` (an AWS SDK
   * client's); requests through `http` are charged already.
   */
  charge?: () => Promise<void>;
  /**
   * Given by the gate: a 2xx said no call is left, so no call is made with this secret for
   * `waitMs` (in every container). A 429's wait travels as the VendorError's `retryAfterMs` instead.
   */
  holdOff?: (waitMs: number) => void;
}

/** A shared read's data, as the store keeps it (JSON strings only: no names or personal data). */
export type SharedSnapshot = Record<string, string>;

/**
 * Optional: queues whose answers come from one read shared by several queues (Aircall: one
 * company-wide availability read per secret). The gate reads `read` once per key and cacheTtlMs
 * through the store, then asks `project` for each queue's own answer.
 */
export interface SharedReads<Queue, Secret> {
  /** The read key shared by every queue that answers the same key. */
  key(queue: Queue): string;
  read(request: VendorCheckRequest<Queue, Secret>): Promise<SharedSnapshot>;
  /** One queue's answer from the snapshot (may make calls of its own, e.g. a team's members). */
  project(request: VendorCheckRequest<Queue, Secret>, snapshot: SharedSnapshot): Promise<Availability>;
}

export interface VendorAdapter<Queue = unknown, Secret = unknown> {
  readonly vendor: string;
  /** Validates the secret's JSON; field names appear in errors, values never do. */
  readonly secretSchema: z.ZodMiniType<Secret>;
  /** Reads the vendor. Throws a VendorError on any failure; never returns 0 for a failure. */
  check(request: VendorCheckRequest<Queue, Secret>): Promise<Availability>;
  /** Present when this vendor's queues share reads (see SharedReads). */
  readonly shared?: SharedReads<Queue, Secret>;
  /**
   * Called once when the runtime starts, with the config's queues of this vendor: starts loading
   * what the first check would otherwise load inside its time budget (Amazon Connect: the AWS SDK
   * clients). Not called for a vendor the config does not use.
   */
  prepare?(queues: readonly Queue[]): void;
}

/** What an adapter factory may be given; every seam is injectable for tests. */
export interface AdapterDeps {
  http: HttpClient;
  /** Clock in epoch ms. */
  now?: () => number;
  /** Settings for the AWS SDK clients an adapter builds (Amazon Connect, STS): tests pass a fake handler. */
  aws?: AwsClientOverrides;
}

export interface AwsClientOverrides {
  /** Default: the SDK's Node HTTP handler. */
  requestHandler?: HttpHandlerUserInput;
  /** Default: the function's own (environment) credentials. */
  credentials?: AwsCredentialIdentity;
}
