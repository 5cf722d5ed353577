/**
 * Shared promises when the table stumbles (docs/on-call/when-things-fail.md): holds are placed in
 * the table or not at all, under the queue's onStoreError; nothing is promised from one
 * container's memory. Two gates (containers) each with their own resilient store on one table.
 */
import '../../support/warn-logs';
import { transferCount } from '../../../shared/api/availability-api';
import type { Policy } from '../../../shared/config/gate-config';
import { Gate } from '../../../shared/gate';
import { SecretStore } from '../../../shared/secrets';
import { manualClock } from '../../support/clock';
import { fakeAdapters } from '../../support/fake-adapters';
import { fakeSecretSource } from '../../support/fake-secrets';
import { flakyTable } from '../../support/flaky-table';
import { gateQueue } from '../../support/gate-config';

const supportQueue = { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 };

function setup(policy: Partial<Policy> = {}, available = 1) {
  const clock = manualClock();
  const vendor = { available };
  const adapters = fakeAdapters(async () => ({ available: vendor.available, busy: 1 }));
  const table = flakyTable();
  const secrets = new SecretStore(fakeSecretSource({ 'tg/aloware': { apiToken: 'token-1' } }), { now: clock.now });
  const gates = ['a', 'b'].map((owner) => new Gate({ adapters, secrets, store: table.storeFor(clock.now), now: clock.now, owner }));
  const queue = gateQueue(supportQueue, { holdMs: 30_000, ...policy });
  const ask = async (gate: number, callerId?: string, callerName = 'acme') => (await gates[gate]!.check(queue, { callerName, callerId })).decision;
  const holdsInTable = () => table.data.holds('support', clock.now());
  return { clock, vendor, table, gates, queue, ask, holdsInTable };
}

describe('onStoreError: deny (the default)', () => {
  it('a "yes" that needs a hold becomes state_unavailable, with the usual counts and no hold anywhere', async () => {
    const { ask, table, holdsInTable } = setup({}, 2);
    table.down = true;
    const answer = await ask(0, '+15550001');
    expect(answer).toMatchObject({ canTransfer: false, reason: 'state_unavailable', availableAgents: 2, busyAgents: 1, heldAgents: null });
    expect(answer).not.toHaveProperty('hold');
    expect(transferCount(answer)).toBe(0);
    table.down = false;
    expect(await holdsInTable()).toEqual([]);
  });

  it('an answer the agents alone make a "no" keeps its own reason', async () => {
    const { ask, table } = setup({ minAvailable: 2 }, 1);
    table.down = true;
    expect(await ask(0, '+15550001')).toMatchObject({
      canTransfer: false,
      reason: 'not_enough_agents',
      availableAgents: 1,
      heldAgents: null,
      stateUnavailable: true,
    });
  });

  it('two containers during an outage promise nothing: no container keeps holds in its own memory', async () => {
    const { ask, table, clock } = setup({}, 1);
    table.down = true;
    for (const gate of [0, 1, 0, 1]) expect((await ask(gate, `+1555000${gate}`)).reason).toBe('state_unavailable');
    clock.advance(1_000);
    expect((await ask(1, '+15550009')).reason).toBe('state_unavailable');
  });
});

describe('onStoreError: allow', () => {
  it('the answer of the agents alone, no hold, stateUnavailable and heldAgents null; format=count says 1', async () => {
    const { ask, table, holdsInTable } = setup({ onStoreError: 'allow' }, 3);
    table.down = true;
    const answer = await ask(0, '+15550001');
    expect(answer).toMatchObject({ canTransfer: true, reason: 'agents_available', availableAgents: 3, heldAgents: null, stateUnavailable: true });
    expect(answer).not.toHaveProperty('hold');
    expect(transferCount(answer)).toBe(1);
    table.down = false;
    expect(await holdsInTable()).toEqual([]);
  });
});

describe('requests that need no shared promise', () => {
  it('no callerId: answered from the agents (a yes stays a yes), heldAgents unknown', async () => {
    const { ask, table } = setup({}, 1);
    table.down = true;
    expect(await ask(0)).toMatchObject({ canTransfer: true, reason: 'agents_available', heldAgents: null, stateUnavailable: true });
  });

  it('a queue without holds: answered as ever, no hold fields', async () => {
    const { ask, table } = setup({ holdMs: 0 }, 1);
    table.down = true;
    const answer = await ask(0, '+15550001');
    expect(answer).toMatchObject({ canTransfer: true, reason: 'agents_available' });
    expect(answer).not.toHaveProperty('heldAgents');
    expect(answer).not.toHaveProperty('stateUnavailable');
  });
});

it('after recovery (the circuit closes), holds are shared across containers again', async () => {
  const { ask, table, clock, holdsInTable } = setup({}, 1);
  table.down = true;
  expect((await ask(0, '+15550001')).reason).toBe('state_unavailable');
  table.down = false;
  clock.advance(5_000);
  const placed = await ask(0, '+15550001');
  expect(placed).toMatchObject({ canTransfer: true, heldAgents: 0, hold: { callerId: '+15550001' } });
  expect(placed).not.toHaveProperty('stateUnavailable');
  expect(await holdsInTable()).toHaveLength(1);
  expect(await ask(1, '+15550002')).toMatchObject({ canTransfer: false, reason: 'not_enough_agents', heldAgents: 1 });
});
