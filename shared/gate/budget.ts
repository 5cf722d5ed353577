/**
 * Vendor budgets (gate-contract.md section 6): vendor requests per UTC minute per limit key (a
 * secret's name, or `amazon-connect:<region>`), across all containers. Every request a check
 * makes goes through the client built here, or is charged with `budgetCharge` first (AWS SDK
 * calls); a refused request is never sent.
 */
import type { GateConfig } from '../config/gate-config';
import { VendorError } from '../errors';
import type { HttpClient } from '../vendors/http-client';
import type { StateStore } from '../state/store';
import { vendorModuleList } from '../vendors/registry';

/** Each vendor module's default (Aircall 60, Kore.ai 30: half of the per-account limit, leaving the rest to other integrations; Amazon Connect 120 per Region). */
export const defaultCallsPerMinute: Readonly<Partial<Record<string, number>>> = Object.fromEntries(
  vendorModuleList.flatMap((module) => (module.defaults.callsPerMinute === undefined ? [] : [[module.name, module.defaults.callsPerMinute]])),
);

/** callsPerMinute per limit key: configured, else the vendor default of the queues using it (the lowest), else no cap. */
export function resolveVendorBudgets(config: Pick<GateConfig, 'queues' | 'vendorBudgets'>): ReadonlyMap<string, number> {
  const budgets = new Map<string, number>();
  for (const queue of config.queues.values()) {
    const fallback = defaultCallsPerMinute[queue.vendor];
    if (fallback === undefined) continue;
    budgets.set(queue.limitKey, Math.min(fallback, budgets.get(queue.limitKey) ?? fallback));
  }
  for (const [secret, { callsPerMinute }] of Object.entries(config.vendorBudgets ?? {})) budgets.set(secret, callsPerMinute);
  return budgets;
}

/** Takes one call from `key`'s budget, or throws `rate_limited` when it is spent; no cap without a limit. */
export function budgetCharge(store: StateStore, key: string, limit: number | undefined, now: () => number): () => Promise<void> {
  if (limit === undefined) return async () => undefined;
  return async () => {
    if (!(await store.spendBudget(key, now(), limit))) {
      throw new VendorError('rate_limited', `the vendor budget of ${limit} calls per minute for this secret (or Region) is spent`);
    }
  };
}

/** A client that charges each request to `key`'s budget before `http` sends it. */
export function budgetedHttp(http: HttpClient, store: StateStore, key: string, limit: number | undefined, now: () => number): HttpClient {
  if (limit === undefined) return http;
  const charge = budgetCharge(store, key, limit, now);
  return {
    async requestJson(request, schema) {
      await charge();
      return http.requestJson(request, schema);
    },
  };
}
