/** Gates that share one state store, as containers of one function do, each with its own lease owner. */
import { Gate } from '../../shared/gate';
import { SecretStore } from '../../shared/secrets';
import type { StateStore } from '../../shared/state/store';
import { createHttpClient } from '../../shared/vendors/http-client';
import type { FakeAdapter } from './fake-adapters';
import { fakeSecretSource } from './fake-secrets';
import type { VendorName } from '../../shared/vendors/registry';

export interface SharedGatesOptions {
  adapters: Record<VendorName, FakeAdapter>;
  store: StateStore;
  now: () => number;
  /** What the vendor answers: each gate reads it through its own real HTTP client. */
  fetch: typeof globalThis.fetch;
  budgets?: ReadonlyMap<string, number>;
}

/** One gate per owner; the Aloware secret `tg/aloware` is the only one they can read. */
export function gatesSharingOneStore({ adapters, store, now, fetch, budgets }: SharedGatesOptions, owners: readonly string[] = ['a', 'b']): Gate[] {
  return owners.map(
    (owner) =>
      new Gate({
        adapters,
        secrets: new SecretStore(fakeSecretSource({ 'tg/aloware': { apiToken: 't' } }), { now }),
        store,
        now,
        owner,
        http: createHttpClient({ fetch, now }),
        ...(budgets && { budgets }),
      }),
  );
}
