/** vendorBudgets: the config field and the per-secret defaults (gate-contract.md section 6). */
import { parseGateConfig } from '../../shared/config/gate-config';
import { ConfigError } from '../../shared/errors';
import { resolveVendorBudgets } from '../../shared/gate';
import { budgetedHttp } from '../../shared/gate/budget';
import { MemoryStore } from '../../shared/state/memory-store';

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

describe('the three HTTP vendors of issue 20', () => {
  it('default to 60 per minute per secret for Twilio, Convoso and VICIdial', () => {
    const config = parseGateConfig({
      queues: [
        { id: 'flex', vendor: 'twilio', secret: 'tg/twilio', workspaceSid: `WS${'a'.repeat(32)}`, taskQueueSid: `WQ${'a'.repeat(32)}` },
        { id: 'dialer', vendor: 'convoso', secret: 'tg/convoso', queueId: 1 },
        { id: 'inbound', vendor: 'vicidial', secret: 'tg/vicidial', baseUrl: 'https://dialer.example.com', inGroup: 'SALES' },
      ],
    });
    expect(Object.fromEntries(resolveVendorBudgets(config))).toEqual({ 'tg/twilio': 60, 'tg/convoso': 60, 'tg/vicidial': 60 });
  });

  it('charge a text request (VICIdial) like a JSON one, and send none once the minute is spent', async () => {
    const requestText = jest.fn(async () => ({ status: 200, headers: new Headers(), body: 'ok' }));
    const http = budgetedHttp({ requestJson: jest.fn(), requestText }, new MemoryStore(), 'tg/vicidial', 2, () => 0);
    const request = { url: new URL('https://dialer.example.com/'), signal: new AbortController().signal };
    await http.requestText(request);
    await http.requestText(request);
    await expect(http.requestText(request)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(requestText).toHaveBeenCalledTimes(2);
  });
});
