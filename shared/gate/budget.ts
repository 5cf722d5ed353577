/**
 * Vendor budgets (gate-contract.md section 6): HTTP requests per UTC minute per secret, across
 * all containers. Every request a check makes goes through the client built here, which takes
 * one call from the secret's budget before sending; a refused request is never sent.
 */
import type { GateConfig } from '../config/gate-config';
import { VendorError } from '../errors';
import type { HttpClient } from '../vendors/http-client';
import type { StateStore } from '../state/store';
import { vendorModuleList } from '../vendors/registry';

/** Each vendor module's default (Aircall 60, Kore.ai 30: half of the per-account limit, leaving the rest to other integrations). */
export const defaultCallsPerMinute: Readonly<Partial<Record<string, number>>> = Object.fromEntries(
  vendorModuleList.flatMap((module) => (module.defaults.callsPerMinute === undefined ? [] : [[module.name, module.defaults.callsPerMinute]])),
);

/** callsPerMinute per secret name: configured, else the vendor default of the queues using it (the lowest), else no cap. */
export function resolveVendorBudgets(config: Pick<GateConfig, 'queues' | 'vendorBudgets'>): ReadonlyMap<string, number> {
  const budgets = new Map<string, number>();
  for (const queue of config.queues.values()) {
    const fallback = defaultCallsPerMinute[queue.vendor];
    if (fallback === undefined) continue;
    budgets.set(queue.secret, Math.min(fallback, budgets.get(queue.secret) ?? fallback));
  }
  for (const [secret, { callsPerMinute }] of Object.entries(config.vendorBudgets ?? {})) budgets.set(secret, callsPerMinute);
  return budgets;
}

/** A client that charges each request to `secret`'s budget before `http` sends it. */
export function budgetedHttp(http: HttpClient, store: StateStore, secret: string, limit: number | undefined, now: () => number): HttpClient {
  if (limit === undefined) return http;
  return {
    async requestJson(request, schema) {
      if (!(await store.spendBudget(secret, now(), limit))) throw budgetSpent(limit);
      return http.requestJson(request, schema);
    },
  };
}

/**
 * One read's charges to its secret's budget. The first request may be paid ahead, in the same
 * round trip as the refresh lease (README, "What it costs"); every later request (pages, token
 * fetches) pays as it goes. A prepaid request that is not made (the lease went to another
 * container, or the read ended before its first request) is given back.
 */
export class BudgetCharges {
  private prepaidAt: number | undefined;
  private spent = false;

  constructor(
    private readonly store: StateStore,
    private readonly secret: string,
    private readonly limit: number | undefined,
    private readonly now: () => number,
  ) {}

  /** Pays for the first request ahead: false when the budget is spent (true without a cap). */
  async prepay(): Promise<boolean> {
    if (this.limit === undefined || this.prepaidAt !== undefined) return true;
    const at = this.now();
    if (!(await this.store.spendBudget(this.secret, at, this.limit))) {
      this.spent = true;
      return false;
    }
    this.prepaidAt = at;
    return true;
  }

  /** Gives the prepaid request back if none used it (in the minute it was taken from). */
  refund(): void {
    if (this.limit === undefined || this.prepaidAt === undefined) return;
    const at = this.prepaidAt;
    this.prepaidAt = undefined;
    this.store.spendBudget(this.secret, at, this.limit, -1).catch(() => undefined);
  }

  /** `http`, each request charged before it is sent: the first from the prepayment, if any. */
  client(http: HttpClient): HttpClient {
    if (this.limit === undefined) return http;
    const limit = this.limit;
    return {
      requestJson: async (request, schema) => {
        if (this.prepaidAt !== undefined) this.prepaidAt = undefined;
        else if (this.spent || !(await this.store.spendBudget(this.secret, this.now(), limit))) throw budgetSpent(limit);
        return http.requestJson(request, schema);
      },
    };
  }
}

function budgetSpent(limit: number): VendorError {
  return new VendorError('rate_limited', `the vendor budget of ${limit} calls per minute for this secret is spent`);
}
