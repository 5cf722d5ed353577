/**
 * The demo's caller keys. They are public on purpose: they only open the demo config's
 * simulated queues. local/demo/secrets.json stores their SHA-256 hashes, as a real callers
 * secret would.
 */
export const demoCallers = [
  { name: 'demo', key: 'tg_demo_d3m0-k3y-0nly-for-the-local-simulators', queues: ['*'] },
  { name: 'acme-leads', key: 'tg_demo_acme-leads-sales-only', queues: ['sales'] },
  /** May set overrides (docs/operators/hours-and-overrides.md). */
  { name: 'demo-admin', key: 'tg_demo_admin-0nly-for-the-local-simulators', queues: ['*'], admin: true },
] as const;
