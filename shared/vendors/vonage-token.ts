/**
 * Vonage Contact Center OAuth2 client-credentials tokens (docs/operators/vendors/vonage.md): one cache
 * per adapter instance, shared by every queue with the same credentials, one fetch at a time per
 * credentials. The client secret is only hashed into the cache key; no secret or token is ever
 * put in an error message.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import '../zod-locale';
import { VendorError } from '../errors';
import { type HttpClient, vendorEndpoint } from './http-client';

export const vonageTokenScope = 'agents-availability:read';

/**
 * The shared token fetch runs on its own budget, not on the signal of whichever check started it:
 * checks with different `timeoutMs` share it, and each waiter gives up on its own signal. The cap
 * is about the longest queue budget the config allows (gate-contract.md), so that any waiter can
 * still use the token, and it bounds a silent auth server.
 */
export const vonageTokenFetchBudgetMs = 25_000;

/** Decision (docs/operators/vendors/vonage.md): stop using a token 5 minutes before it runs out. */
export const vonageTokenRefreshMarginMs = 5 * 60_000;

// Minimal: the token and its lifetime. Only bearer tokens can be sent as `Authorization: Bearer`.
export const vonageTokenBodySchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  // Bounded so that the lifetime in ms stays a safe, finite number (1e308 would cache a token forever).
  expires_in: z.number().check(z.positive(), z.maximum(Number.MAX_SAFE_INTEGER / 1000)),
  token_type: z.optional(z.string().check(z.regex(/^bearer$/i))),
});

export interface VonageCredentials {
  authUrl: string;
  clientId: string;
  clientSecret: string;
}

/** How long a token is used: until 5 minutes before it runs out, but at least half its life (short-lived tokens). */
export function vonageTokenLifetimeMs(expiresInSeconds: number): number {
  const lifetimeMs = expiresInSeconds * 1000;
  return Math.max(lifetimeMs - vonageTokenRefreshMarginMs, lifetimeMs / 2);
}

interface TokenEntry {
  accessToken?: string;
  usableUntil?: number;
  /** The fetch under way; concurrent checks share it. Cleared when it settles, so a failure is not cached. */
  pending?: Promise<string>;
}

export class VonageTokenCache {
  private readonly entries = new Map<string, TokenEntry>();

  constructor(
    private readonly http: HttpClient,
    private readonly now: () => number,
  ) {}

  /**
   * The cached token while usable, else the fetch under way, else a new fetch on its own budget,
   * made with `http` (the check's budgeted client). Either way this caller waits only as long as
   * its own `signal` allows.
   */
  get(credentials: VonageCredentials, signal: AbortSignal, http: HttpClient = this.http): Promise<string> {
    const key = cacheKey(credentials);
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = {}));
    if (entry.accessToken && entry.usableUntil !== undefined && this.now() < entry.usableUntil) return Promise.resolve(entry.accessToken);
    const target = entry;
    target.pending ??= this.fetch(credentials, target, AbortSignal.timeout(vonageTokenFetchBudgetMs), http).finally(() => {
      target.pending = undefined;
    });
    return untilAborted(target.pending, signal);
  }

  /** Forgets a token the API rejected, unless a newer one has already replaced it (concurrent 401s refresh once). */
  invalidate(credentials: VonageCredentials, rejectedToken: string): void {
    const entry = this.entries.get(cacheKey(credentials));
    if (entry?.accessToken !== rejectedToken) return;
    entry.accessToken = undefined;
    entry.usableUntil = undefined;
  }

  private async fetch(credentials: VonageCredentials, entry: TokenEntry, signal: AbortSignal, http: HttpClient): Promise<string> {
    const requestedAt = this.now();
    const body = await requestVonageToken(http, credentials, signal);
    entry.accessToken = body.access_token;
    entry.usableUntil = requestedAt + vonageTokenLifetimeMs(body.expires_in);
    return body.access_token;
  }
}

/** `shared`, or a timeout as soon as this waiter's signal aborts (the shared fetch goes on for the others). */
function untilAborted<T>(shared: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const giveUp = () => reject(new VendorError('timeout', 'token request did not finish within the time budget'));
    if (signal.aborted) return giveUp();
    signal.addEventListener('abort', giveUp, { once: true });
    // Handled here in every case, so a fetch that fails after all waiters gave up is not an unhandled rejection.
    shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', giveUp));
  });
}

function cacheKey({ authUrl, clientId, clientSecret }: VonageCredentials): string {
  return JSON.stringify([authUrl, clientId, createHash('sha256').update(clientSecret).digest('hex')]);
}

async function requestVonageToken(http: HttpClient, credentials: VonageCredentials, signal: AbortSignal) {
  const form = {
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    scope: vonageTokenScope,
  };
  const url = vendorEndpoint(credentials.authUrl, '/Auth/connect/token');
  try {
    const response = await http.requestJson({ url, method: 'POST', headers: { Accept: 'application/json' }, form, signal }, vonageTokenBodySchema);
    return response.body;
  } catch (error) {
    throw tokenError(error);
  }
}

/** OAuth servers answer a wrong client or scope with 400 (`invalid_client`, `invalid_scope`) or 401: both are credentials. */
function tokenError(error: unknown): unknown {
  if (!(error instanceof VendorError)) return error;
  const rejected = error.status === 400 || error.status === 401 || error.status === 403;
  return new VendorError(rejected ? 'auth' : error.kind, `token request failed: ${error.message}`, {
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    cause: error,
  });
}
