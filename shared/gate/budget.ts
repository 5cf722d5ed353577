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
  const spend = async () => {
    if (!(await store.spendBudget(secret, now(), limit))) {
      throw new VendorError('rate_limited', `the vendor budget of ${limit} calls per minute for this secret is spent`);
    }
  };
  return {
    async requestJson(request, schema) {
      await spend();
      return http.requestJson(request, schema);
    },
    async requestText(request) {
      await spend();
      return http.requestText(request);
    },
  };
}
