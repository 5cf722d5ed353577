/**
 * The gate core: one vendor read per queue at a time (concurrent checks share it), answers reused
 * for `cacheTtlMs`, a last good answer served for `maxStaleMs` when the vendor fails, the queue's
 * `onVendorError` policy otherwise, and a vendor's Retry-After honoured before calling again.
 */
import type { GateQueue } from './config/gate-config';
import { SecretError, VendorError, type VendorErrorKind } from './errors';
import { parseSecretWith } from './secrets';
import type { SecretStore } from './secrets';
import type { Availability } from './vendors/port';
import type { AnyVendorAdapter, VendorName } from './vendors/registry';

export type DecisionReason = 'agents_available' | 'not_enough_agents' | 'vendor_error';
export type DecisionSource = 'live' | 'cache' | 'stale';

/** The answer, in the field order of gate-contract.md section 3. */
export interface Decision {
  queue: string;
  canTransfer: boolean;
  reason: DecisionReason;
  /** null when the vendor could not be read: a failure is never "0 agents". */
  availableAgents: number | null;
  minAvailable: number;
  vendor: string;
  source: DecisionSource;
  checkedAt: string;
  ageMs: number;
  busyAgents?: number;
  awayAgents?: number;
  offlineAgents?: number;
  totalAgents?: number;
  vendorError?: VendorErrorKind;
}

/** Reported after every vendor read, for logs and metrics. */
export interface VendorReadEvent {
  queue: string;
  vendor: string;
  latencyMs: number;
  error?: VendorError;
}

export interface GateDeps {
  adapters: Record<VendorName, AnyVendorAdapter>;
  secrets: SecretStore;
  now?: () => number;
  onVendorRead?: (event: VendorReadEvent) => void;
}

type Reading = { availability: Availability; checkedAt: number };
type Outcome = { ok: true; reading: Reading } | { ok: false; error: VendorError; checkedAt: number };

interface QueueState {
  lastGood?: Reading;
  inflight?: Promise<Outcome>;
  /** No vendor call before this time (the vendor's Retry-After). */
  blockedUntil?: number;
}

/** Honour a vendor's Retry-After, but never lock a queue out for longer than this. */
const maxBlockMs = 300_000;

export class Gate {
  private readonly states = new Map<string, QueueState>();
  private readonly secretParsers = new Map<string, (json: unknown, name: string) => unknown>();
  private readonly now: () => number;

  constructor(private readonly deps: GateDeps) {
    this.now = deps.now ?? Date.now;
  }

  async check(queue: GateQueue): Promise<Decision> {
    const state = this.stateOf(queue.id);
    const lastGood = state.lastGood;
    if (lastGood && this.now() - lastGood.checkedAt < queue.policy.cacheTtlMs) {
      return this.decide(queue, lastGood, 'cache');
    }
    if (!state.inflight) {
      state.inflight = this.read(queue, state).finally(() => {
        state.inflight = undefined;
      });
    }
    const outcome = await state.inflight;
    if (outcome.ok) return this.decide(queue, outcome.reading, 'live');
    const stale = state.lastGood;
    if (stale && this.now() - stale.checkedAt < queue.policy.maxStaleMs) {
      return { ...this.decide(queue, stale, 'stale'), vendorError: outcome.error.kind };
    }
    return this.failed(queue, outcome);
  }

  private stateOf(queueId: string): QueueState {
    let state = this.states.get(queueId);
    if (!state) this.states.set(queueId, (state = {}));
    return state;
  }

  private async read(queue: GateQueue, state: QueueState): Promise<Outcome> {
    const started = this.now();
    if (state.blockedUntil && started < state.blockedUntil) {
      const error = new VendorError('rate_limited', 'vendor asked not to be called yet', { retryAfterMs: state.blockedUntil - started });
      return { ok: false, error, checkedAt: started };
    }
    try {
      const availability = await this.withTimeout(queue.policy.timeoutMs, (signal, deadline) => this.callVendor(queue, signal, deadline));
      const reading = { availability, checkedAt: this.now() };
      state.lastGood = reading;
      this.deps.onVendorRead?.({ queue: queue.id, vendor: queue.vendor, latencyMs: this.now() - started });
      return { ok: true, reading };
    } catch (thrown) {
      const error = toVendorError(thrown);
      if (error.kind === 'rate_limited' && error.retryAfterMs) {
        state.blockedUntil = this.now() + Math.min(error.retryAfterMs, maxBlockMs);
      }
      this.deps.onVendorRead?.({ queue: queue.id, vendor: queue.vendor, latencyMs: this.now() - started, error });
      return { ok: false, error, checkedAt: started };
    }
  }

  private async callVendor(queue: GateQueue, signal: AbortSignal, deadline: number): Promise<Availability> {
    const adapter = this.deps.adapters[queue.vendor];
    const secret = await this.deps.secrets.get(queue.secret, this.secretParser(adapter));
    return adapter.check({ queue, secret, signal, deadline });
  }

  private secretParser(adapter: AnyVendorAdapter) {
    let parser = this.secretParsers.get(adapter.vendor);
    if (!parser) this.secretParsers.set(adapter.vendor, (parser = parseSecretWith(adapter.secretSchema)));
    return parser;
  }

  /** The whole check (secret, token fetches, every page) ends within the budget, whatever an adapter does. */
  private withTimeout<T>(timeoutMs: number, run: (signal: AbortSignal, deadline: number) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new VendorError('timeout', `vendor did not answer within ${timeoutMs} ms`));
        controller.abort();
      }, timeoutMs);
      run(controller.signal, this.now() + timeoutMs).then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }

  private decide(queue: GateQueue, reading: Reading, source: DecisionSource): Decision {
    const { availability } = reading;
    const canTransfer = availability.available >= queue.policy.minAvailable;
    const decision: Decision = {
      queue: queue.id,
      canTransfer,
      reason: canTransfer ? 'agents_available' : 'not_enough_agents',
      availableAgents: availability.available,
      minAvailable: queue.policy.minAvailable,
      vendor: queue.vendor,
      source,
      checkedAt: new Date(reading.checkedAt).toISOString(),
      ageMs: Math.max(0, this.now() - reading.checkedAt),
    };
    if (availability.busy !== undefined) decision.busyAgents = availability.busy;
    if (availability.away !== undefined) decision.awayAgents = availability.away;
    if (availability.offline !== undefined) decision.offlineAgents = availability.offline;
    if (availability.total !== undefined) decision.totalAgents = availability.total;
    // Fields the vendor declares (its module's answerExtras), after the counts.
    if (availability.extras) Object.assign(decision, availability.extras);
    return decision;
  }

  private failed(queue: GateQueue, outcome: { error: VendorError; checkedAt: number }): Decision {
    return {
      queue: queue.id,
      canTransfer: queue.policy.onVendorError === 'allow',
      reason: 'vendor_error',
      availableAgents: null,
      minAvailable: queue.policy.minAvailable,
      vendor: queue.vendor,
      source: 'live',
      checkedAt: new Date(outcome.checkedAt).toISOString(),
      ageMs: Math.max(0, this.now() - outcome.checkedAt),
      vendorError: outcome.error.kind,
    };
  }
}

/** Anything an adapter throws becomes a typed vendor error; a bad secret reads as `auth`. */
export function toVendorError(thrown: unknown): VendorError {
  if (thrown instanceof VendorError) return thrown;
  if (thrown instanceof SecretError) return new VendorError('auth', thrown.message, { cause: thrown });
  return new VendorError('bad_payload', `unexpected ${(thrown as Error)?.name ?? 'error'} while reading the vendor`, { cause: thrown });
}
