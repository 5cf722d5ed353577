/** vendorBudgets: the config field and the per-secret defaults (gate-contract.md section 6). */
import { parseGateConfig } from '../../shared/config/gate-config';
import { ConfigError } from '../../shared/errors';
import { resolveVendorBudgets } from '../../shared/gate';

const queues = [
  { id: 'aircall-team', vendor: 'aircall', secret: 'tg/aircall', teamId: 42 },
  { id: 'kore', vendor: 'koreai', secret: 'tg/kore', botId: 'st-1234', queueIds: ['q1'] },
  { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 },
];

describe('vendor budgets', () => {
  it('default to 60 per minute for an Aircall secret, 30 for a Kore.ai one, no cap otherwise', () => {
    const budgets = resolveVendorBudgets(parseGateConfig({ queues }));
    expect(Object.fromEntries(budgets)).toEqual({ 'tg/aircall': 60, 'tg/kore': 30 });
  });

  it('take the configured callsPerMinute over the default, for any secret', () => {
    const config = parseGateConfig({ queues, vendorBudgets: { 'tg/aircall': { callsPerMinute: 100 }, 'tg/aloware': { callsPerMinute: 5 } } });
    expect(Object.fromEntries(resolveVendorBudgets(config))).toEqual({ 'tg/aircall': 100, 'tg/kore': 30, 'tg/aloware': 5 });
  });

  it.each([[0], [1.5], [-1], ['10']])('refuse callsPerMinute %p', (callsPerMinute) => {
    expect(() => parseGateConfig({ queues, vendorBudgets: { 'tg/aircall': { callsPerMinute } } })).toThrow(ConfigError);
  });

  it('refuse unknown fields', () => {
    expect(() => parseGateConfig({ queues, vendorBudgets: { 'tg/aircall': { callsPerMinute: 5, burst: 2 } } })).toThrow(/vendorBudgets/);
  });
});
