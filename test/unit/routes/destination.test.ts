import { destinationFor, expiresInSeconds, queueAnswer } from '../../../shared/routes/destination';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const sales = { id: 'sales', transferTo: '+15551230000', policy: { payout: usd(35) } };

describe('destinationFor', () => {
  it("gives the queue's destination and payout to a seller without its own", () => {
    expect(destinationFor(sales, undefined)).toEqual({ transferTo: '+15551230000', payout: usd(35) });
    expect(destinationFor(sales, { transferTo: { other: '+15559990000' } })).toEqual({ transferTo: '+15551230000', payout: usd(35) });
  });

  it("replaces each with the seller's own for this queue, whole", () => {
    const seller = { transferTo: { sales: 'sip:acme@pbx.example.com' }, payout: { sales: { amount: 40, currency: 'EUR', minDurationSeconds: 60 } } };
    expect(destinationFor(sales, seller)).toEqual({ transferTo: 'sip:acme@pbx.example.com', payout: { amount: 40, currency: 'EUR', minDurationSeconds: 60 } });
  });

  it('leaves out what neither names', () => {
    expect(destinationFor({ id: 'bare', policy: {} }, undefined)).toEqual({});
    expect(destinationFor({ id: 'bare', policy: {} }, { transferTo: { bare: '+15551112222' } })).toEqual({ transferTo: '+15551112222' });
  });
});

describe('expiresInSeconds', () => {
  it('rounds down to whole seconds', () => {
    expect(expiresInSeconds(30_999, 0)).toBe(30);
    expect(expiresInSeconds(30_000, 0)).toBe(30);
  });
  it('is at least 1, even at or past the expiry', () => {
    expect(expiresInSeconds(1_500, 1_000)).toBe(1);
    expect(expiresInSeconds(1_000, 1_000)).toBe(1);
  });
});

describe('queueAnswer', () => {
  const yes = {
    queue: 'sales',
    canTransfer: true,
    reason: 'agents_available',
    availableAgents: 2,
    minAvailable: 1,
    vendor: 'aloware',
    source: 'cache',
    checkedAt: '2026-12-03T15:00:00.000Z',
    ageMs: 0,
  } as const;
  const now = Date.parse('2026-12-03T15:00:00.000Z');

  it('a yes carries transferTo and payout; with a hold, expiresInSeconds', () => {
    const held = { ...yes, heldAgents: 0, hold: { callerId: '+15550001', expiresAt: '2026-12-03T15:00:45.900Z' } };
    expect(queueAnswer(held, sales, undefined, now)).toEqual({ ...held, expiresInSeconds: 45, transferTo: '+15551230000', payout: usd(35) });
    expect(queueAnswer(yes, sales, undefined, now)).not.toHaveProperty('expiresInSeconds');
  });

  it('a no carries none of them', () => {
    const no = { ...yes, canTransfer: false, reason: 'not_enough_agents' } as const;
    expect(queueAnswer(no, sales, { transferTo: { sales: '+15557654321' } }, now)).toEqual(no);
  });
});
