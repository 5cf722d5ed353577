/**
 * The gate: a queue's check through the read orchestration (read.ts) and the pure decision
 * (decide.ts). It holds no state of its own beyond the reader's container memory: what a queue
 * remembers lives in the state store, shared by every container.
 */
import type { GateQueue } from '../config/gate-config';
import type { HttpClient } from '../vendors/http-client';
import { parseSecretWith } from '../secrets';
import type { SecretStore } from '../secrets';
import type { StateStore } from '../state/store';
import type { VendorCheckRequest } from '../vendors/port';
import type { AnyVendorAdapter, VendorName } from '../vendors/registry';
import { BudgetCharges, budgetCharge, budgetedHttp } from './budget';
import { VendorError } from '../errors';
import { type Decision, decide } from './decide';
import { applySharedPromises, countHolds } from './shared-promises';
import { callerStateOf, duplicateStanding, outsideArea, refusedBeforeReading } from './eligibility';
import type { HoldRequest } from './holds';
import type { UsState } from '../geo';
import { Overrides, closedDecision, withClosesAt } from './hours';
import { type Peek, type ReadOutcome, type ReadSpec, Reader, type VendorCalls, type VendorRead } from './read';
import { maxBlockMs, toVendorError, withTimeout } from './read-rules';
import { oneAtATimePerKey } from '../concurrency';

/** A check's answer, and the vendor read this check made itself (none when answered from a reading). */
/** Who asks, for holds (docs/operators/holds.md): the caller's name and the call's callerId. */
export interface CheckRequest extends HoldRequest {
  /** The request's `state` (docs/operators/limits.md, "Geography"); else the callerId's area code decides. */
  state?: UsState;
}

export interface GateCheck {
  decision: Decision;
  read?: VendorRead;
}

/**
 * A queue's answer before this request's promise (a route's member: docs/callers/
 * routes-and-destinations.md): `decision` counts the holds of others as the answer would, and
 * places nothing; `place` turns it into the answer, placing the hold on this member only.
 */
export interface GateProbe extends GateCheck {
  /** The decision before holds: what `place` places on. */
  unheld: Decision;
  /** The asking caller's own hold for this callerId already stands on this queue. */
  ownHold: boolean;
}

export interface GateDeps {
  adapters: Record<VendorName, AnyVendorAdapter>;
  secrets: SecretStore;
  store: StateStore;
  now?: () => number;
  /** This container's lease-owner id (unique per container). */
  owner?: string;
  /** The shared HTTP client; with it, every request a check makes is charged to its limit key's budget. */
  http?: HttpClient;
  /** callsPerMinute per limit key (see budget.ts); a key not listed has no cap. */
  budgets?: ReadonlyMap<string, number>;
  /** Every configured queue: queues sharing a read use the shortest cacheTtlMs among them. */
  queues?: Iterable<GateQueue>;
  /** Called after every vendor read this gate makes (the runtime logs failures). */
  onVendorRead?: (queue: GateQueue, read: VendorRead) => void;
  pollMs?: number;
}

type AnyAdapter = AnyVendorAdapter;
type AnySharedReads = NonNullable<AnyAdapter['shared']>;

/** A queue's own read key (queues of vendors without shared reads). */
const ownKey = (queue: GateQueue) => `queue:${queue.id}`;

export class Gate {
  private readonly reader: Reader;
  private readonly holdPlacements = oneAtATimePerKey();
  private readonly secretParsers = new Map<string, (json: unknown, name: string) => unknown>();
  private readonly now: () => number;
  /** docs/operators/hours-and-overrides.md: the queues' overrides (the override routes write through it). */
  readonly overrides: Overrides;

  constructor(private readonly deps: GateDeps) {
    this.now = deps.now ?? Date.now;
    this.overrides = new Overrides(deps.store, this.now);
    this.reader = new Reader({ store: deps.store, now: this.now, owner: deps.owner, pollMs: deps.pollMs });
  }

  async check(queue: GateQueue, request: CheckRequest = {}): Promise<GateCheck> {
    const check = await this.unheld(queue, request);
    // Shared promises (holds, limits, duplicates) are applied to the decision here, from `request`; a queue without holds skips the await.
    if (queue.policy.holdMs > 0) check.decision = await this.withHolds(queue, check.decision, request);
    return check;
  }

  /** The check without this request's promise: nothing is placed. `signal` gives up the vendor read (see Reader.read). */
  async probe(queue: GateQueue, request: CheckRequest, signal?: AbortSignal): Promise<GateProbe> {
    const check = await this.unheld(queue, request, signal);
    const unheld = check.decision;
    if (queue.policy.holdMs <= 0) return { ...check, unheld, ownHold: false };
    const counted = await countHolds({ store: this.deps.store, now: this.now() }, queue, unheld, request);
    return { ...check, decision: counted.decision, unheld, ownHold: counted.ownHold };
  }

  /**
   * A probe answered from this container's memory alone, without a promise or a table read: a
   * queue without holds whose hours and reading are known and fresh; else undefined (then `probe`).
   * Geography, duplicates and limits need the request or the table (docs/operators/limits.md), so
   * a queue with any of them, or a seller with limits, is never answered from memory.
   * A route whose members all answer so needs no timer (bench/routes.ts).
   */
  probeFromMemory(queue: GateQueue, request: CheckRequest = {}): GateProbe | undefined {
    const adapter = this.deps.adapters[queue.vendor];
    if (queue.policy.holdMs > 0 || adapter.shared) return undefined;
    const { geo, duplicates, limits } = queue.policy;
    if (geo || duplicates || limits || request.sellerLimits) return undefined;
    const hours = this.overrides.knownHours(queue);
    if (!hours) return undefined;
    let decision: Decision;
    if (hours.closed) decision = closedDecision(queue, hours, this.now());
    else {
      const outcome = this.reader.known(ownKey(queue), queue.policy.cacheTtlMs);
      if (!outcome) return undefined;
      decision = withClosesAt(decide(queue, outcome, this.now()), hours);
    }
    return { decision, unheld: decision, ownHold: false };
  }

  /**
   * A probe's answer with this request's promise made (the hold placed or re-used, the limits and
   * duplicate mark taken), as `check` would answer; a limit may still refuse it here.
   */
  place(queue: GateQueue, probe: GateProbe, request: CheckRequest): Promise<Decision> {
    return this.withHolds(queue, probe.unheld, request);
  }

  /** Hours, geography and duplicates, the read and the decision, before holds; on a queue with geo, the call's state stamped. */
  private async unheld(queue: GateQueue, request: CheckRequest, signal?: AbortSignal): Promise<GateCheck> {
    const check = await this.unstamped(queue, request, signal);
    // docs/operators/limits.md: on a queue with geo, every answer says the call's state.
    if (queue.policy.geo) check.decision.callerState = callerStateOf(request.state, request.callerId) ?? null;
    return check;
  }

  private async unstamped(queue: GateQueue, request: CheckRequest, signal?: AbortSignal): Promise<GateCheck> {
    const adapter = this.deps.adapters[queue.vendor];
    const key = adapter.shared ? adapter.shared.key(queue) : ownKey(queue);
    const cacheTtlMs = adapter.shared ? this.sharedTtl(key, queue.policy.cacheTtlMs) : queue.policy.cacheTtlMs;
    // Hours and overrides (docs/operators/hours-and-overrides.md) come first: a closed queue's vendor is not called. When the
    // override must be looked up, the reading's first table read goes out beside it (one round trip).
    let hours = this.overrides.knownHours(queue);
    const peeked = hours?.closed || this.reader.settled(key, cacheTtlMs) ? undefined : this.reader.peek(key, queue.limitKey);
    peeked?.catch(() => undefined);
    hours ??= await this.overrides.hours(queue);
    if (hours.closed) return { decision: closedDecision(queue, hours, this.now()) };
    // Then geography and duplicates (docs/operators/limits.md): neither needs the vendor.
    // A queue without either skips the await (most answers are cached ones: docs/contributors/benchmarks.md).
    const refused = queue.policy.geo || queue.policy.duplicates ? await this.beforeReading(queue, request) : undefined;
    if (refused) return { decision: refused };
    const outcome = adapter.shared
      ? await this.checkShared(queue, adapter, adapter.shared, key, cacheTtlMs, peeked, signal)
      : await this.checkOwn(queue, adapter, peeked, signal);
    if (outcome.made) this.deps.onVendorRead?.(queue, outcome.made);
    const check: GateCheck = { decision: withClosesAt(decide(queue, outcome, this.now()), hours) };
    if (outcome.made) check.read = outcome.made;
    return check;
  }

  /** The store key a queue's readings live under; `shared` when other queues answer from the same read (GET /v1/status). */
  readKeyOf(queue: GateQueue): { key: string; shared: boolean } {
    const shared = this.deps.adapters[queue.vendor].shared;
    return shared ? { key: shared.key(queue), shared: true } : { key: ownKey(queue), shared: false };
  }

  /** A check without a caller (the scheduled check) watches the queue, not a call: nothing to refuse here. */
  private async beforeReading(queue: GateQueue, request: CheckRequest): Promise<Decision | undefined> {
    if (request.callerName === undefined) return undefined;
    const now = this.now();
    if (outsideArea(queue, callerStateOf(request.state, request.callerId))) return refusedBeforeReading(queue, 'outside_area', now);
    const { callerName, callerId } = request;
    if (queue.policy.duplicates && callerName !== undefined && (await duplicateStanding(this.deps.store, queue, callerName, callerId, now))) {
      return refusedBeforeReading(queue, 'duplicate_caller', now);
    }
    return undefined;
  }

  /** The shared-promise step; this container's placements on one queue take turns rather than race each other. */
  private withHolds(queue: GateQueue, decision: Decision, request: CheckRequest): Promise<Decision> {
    return applySharedPromises({ store: this.deps.store, now: this.now(), oneAtATime: this.holdPlacements }, queue, decision, request);
  }

  private checkOwn(queue: GateQueue, adapter: AnyAdapter, peeked?: Promise<Peek>, signal?: AbortSignal): Promise<ReadOutcome> {
    const { cacheTtlMs, timeoutMs } = queue.policy;
    const charges = this.charges(queue);
    return this.reader.read(
      {
        key: ownKey(queue),
        secret: queue.limitKey,
        cacheTtlMs,
        timeoutMs,
        fetch: async (signal, deadline, calls) => ({
          availability: await adapter.check(await this.request(queue, adapter, signal, deadline, { charges, calls })),
        }),
        prepay: () => charges.prepay(),
        refund: () => charges.refund(),
      },
      peeked,
      signal,
    );
  }

  /** One read per key and shortest cacheTtlMs serves every queue on it; each queue projects its own answer. */
  private async checkShared(
    queue: GateQueue,
    adapter: AnyAdapter,
    shared: AnySharedReads,
    key: string,
    cacheTtlMs: number,
    peeked?: Promise<Peek>,
    signal?: AbortSignal,
  ): Promise<ReadOutcome> {
    const startedAt = performance.now();
    const charges = this.charges(queue);
    const spec: ReadSpec = {
      key,
      secret: queue.limitKey,
      cacheTtlMs,
      timeoutMs: queue.policy.timeoutMs,
      fetch: async (signal, deadline, calls) => {
        const snapshot = await shared.read(await this.request(queue, adapter, signal, deadline, { charges, calls }));
        return { availability: { available: Object.values(snapshot).filter((status) => status === 'available').length }, snapshot };
      },
      prepay: () => charges.prepay(),
      refund: () => charges.refund(),
    };
    const outcome = await this.reader.read(spec, peeked, signal);
    const reading = outcome.ok ? outcome.reading : outcome.lastGood;
    const remainingMs = Math.max(1, queue.policy.timeoutMs - Math.floor(performance.now() - startedAt));
    const projected = reading?.snapshot ? await this.project(queue, adapter, shared, reading.snapshot, remainingMs) : undefined;
    const own = reading && projected && !(projected instanceof VendorError) ? { ...reading, availability: projected } : undefined;
    if (outcome.ok) {
      if (own) return { ...outcome, reading: own };
      return {
        ok: false,
        kind: projected instanceof VendorError ? projected.kind : 'bad_payload',
        at: this.now(),
        source: outcome.source,
        ...(outcome.made && { made: outcome.made }),
      };
    }
    // The shared reading's own counts are the company's, never a queue's: only a projection may be served stale.
    const { lastGood: _company, ...failure } = outcome;
    return own ? { ...failure, lastGood: own } : failure;
  }

  private async project(queue: GateQueue, adapter: AnyAdapter, shared: AnySharedReads, snapshot: Record<string, string>, timeoutMs: number) {
    try {
      return await withTimeout(timeoutMs, this.now(), async (signal, deadline) =>
        shared.project(await this.request(queue, adapter, signal, deadline), snapshot),
      );
    } catch (thrown) {
      const error = toVendorError(thrown);
      // A team lookup's 429 blocks the secret like any other read's.
      if (error.retryAfterMs) await this.deps.store.block(queue.limitKey, this.now() + Math.min(error.retryAfterMs, maxBlockMs));
      return error;
    }
  }

  private sharedTtl(key: string, own: number): number {
    let ttl = own;
    for (const other of this.deps.queues ?? []) {
      const otherShared = this.deps.adapters[other.vendor].shared;
      if (otherShared && otherShared.key(other) === key) ttl = Math.min(ttl, other.policy.cacheTtlMs);
    }
    return ttl;
  }

  /** This check's charges to its limit key's vendor budget (none without a cap). */
  private charges(queue: GateQueue): BudgetCharges {
    return new BudgetCharges(this.deps.store, queue.limitKey, this.deps.budgets?.get(queue.limitKey), this.now);
  }

  /** `read`: a vendor read's budget charges and its count of requests sent (a projection's requests pay as they go). */
  private async request(
    queue: GateQueue,
    adapter: AnyAdapter,
    signal: AbortSignal,
    deadline: number,
    read?: { charges: BudgetCharges; calls: VendorCalls },
  ): Promise<VendorCheckRequest<GateQueue, unknown>> {
    // Only Amazon Connect's own-role queues name no secret: their adapter gets none.
    const secret = queue.secret === undefined ? undefined : await this.deps.secrets.get(queue.secret, this.secretParser(adapter));
    const { http, budgets, store } = this.deps;
    const { limitKey } = queue;
    const holdOff = (waitMs: number) => {
      store.block(limitKey, this.now() + Math.min(waitMs, maxBlockMs)).catch(() => undefined);
    };
    const limit = budgets?.get(limitKey);
    const request: VendorCheckRequest<GateQueue, unknown> = { queue, secret, signal, deadline, holdOff };
    // SDK calls (Amazon Connect) skip `http`: they pay through `charge`, and a read counts each one sent.
    request.charge = read
      ? async () => {
          await read.charges.pay();
          read.calls.sent += 1;
        }
      : budgetCharge(store, limitKey, limit, this.now);
    // Without the gate's client the adapter uses its own: its requests cannot be counted, so the read counts as a call.
    if (!http) {
      if (read) read.calls.sent += 1;
      return request;
    }
    // Counted inside the charge: a request the budget refused was never sent.
    request.http = read ? read.charges.client(countedHttp(http, read.calls)) : budgetedHttp(http, store, limitKey, limit, this.now);
    return request;
  }

  private secretParser(adapter: AnyAdapter) {
    let parser = this.secretParsers.get(adapter.vendor);
    if (!parser) this.secretParsers.set(adapter.vendor, (parser = parseSecretWith(adapter.secretSchema)));
    return parser;
  }
}

/** `http`, counting the requests it sends. */
function countedHttp(http: HttpClient, calls: VendorCalls): HttpClient {
  return {
    requestJson(request, schema) {
      calls.sent += 1;
      return http.requestJson(request, schema);
    },
    requestText(request) {
      calls.sent += 1;
      return http.requestText(request);
    },
  };
}
