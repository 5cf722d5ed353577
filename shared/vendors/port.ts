/**
 * The port every vendor adapter implements. The gate core and the handlers depend on
 * this module only, never on a vendor file.
 */
import type * as z from 'zod';
import type { HttpClient } from './http-client';

/** The normalized answer of every adapter (vendor-contracts.md, "Normalized result"). */
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
  /** The queue's secret, already validated against the adapter's `secretSchema`. */
  secret: Secret;
  /** Aborted when the queue's `timeoutMs` budget runs out; pass it to every call. */
  signal: AbortSignal;
  /** Epoch ms at which the budget runs out (for multi-call walks). */
  deadline: number;
}

export interface VendorAdapter<Queue = unknown, Secret = unknown> {
  readonly vendor: string;
  /** Validates the secret's JSON; field names appear in errors, values never do. */
  readonly secretSchema: z.ZodType<Secret>;
  /** Reads the vendor. Throws a VendorError on any failure; never returns 0 for a failure. */
  check(request: VendorCheckRequest<Queue, Secret>): Promise<Availability>;
}

/** What an adapter factory may be given; every seam is injectable for tests. */
export interface AdapterDeps {
  http: HttpClient;
  /** Clock in epoch ms. */
  now?: () => number;
}
