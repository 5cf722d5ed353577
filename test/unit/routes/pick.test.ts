import { type MemberYes, pickOrder } from '../../../shared/routes/pick';

const yes = (queue: string, room: number | null): MemberYes => ({ queue, room });
const queues = (order: MemberYes[]) => order.map((member) => member.queue);

/** A seeded generator (mulberry32), so the weighted draws are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('pick first', () => {
  it('tries the yes members in list order', () => {
    expect(queues(pickOrder([yes('a', 1), yes('b', 5), yes('c', null)], { pick: 'first' }))).toEqual(['a', 'b', 'c']);
  });
  it('has nothing to try when nobody said yes', () => {
    expect(pickOrder([], { pick: 'first' })).toEqual([]);
  });
});

describe('pick most_available', () => {
  it('ranks by room net of holds, most first', () => {
    expect(queues(pickOrder([yes('a', 1), yes('b', 5), yes('c', 3)], { pick: 'most_available' }))).toEqual(['b', 'c', 'a']);
  });
  it('gives ties to the earlier queue', () => {
    expect(queues(pickOrder([yes('a', 2), yes('b', 4), yes('c', 4), yes('d', 2)], { pick: 'most_available' }))).toEqual(['b', 'c', 'a', 'd']);
  });
  it('ranks a yes without a count last, in list order among themselves', () => {
    expect(queues(pickOrder([yes('x', null), yes('a', 0), yes('y', null), yes('b', 1)], { pick: 'most_available' }))).toEqual(['b', 'a', 'x', 'y']);
  });
});

describe('pick weighted', () => {
  const members = [yes('a', 1), yes('b', 1), yes('c', 1)];
  const weights = { a: 1, b: 2, c: 7 };

  it('chooses in proportion to weight (seeded, 20,000 draws)', () => {
    const random = seeded(42);
    const firsts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let draw = 0; draw < 20_000; draw += 1) firsts[pickOrder(members, { pick: 'weighted', weights, random })[0]!.queue]! += 1;
    expect(firsts.a! / 20_000).toBeCloseTo(0.1, 1);
    expect(firsts.b! / 20_000).toBeCloseTo(0.2, 1);
    expect(firsts.c! / 20_000).toBeCloseTo(0.7, 1);
  });

  it('orders every member once, the rest drawn again by weight', () => {
    const order = pickOrder(members, { pick: 'weighted', weights, random: seeded(7) });
    expect(queues(order).sort()).toEqual(['a', 'b', 'c']);
  });

  it('maps the random number onto the weights exactly at the edges', () => {
    expect(queues(pickOrder(members, { pick: 'weighted', weights, random: () => 0 }))[0]).toBe('a');
    expect(queues(pickOrder(members, { pick: 'weighted', weights, random: () => 0.1 }))[0]).toBe('b');
    expect(queues(pickOrder(members, { pick: 'weighted', weights, random: () => 0.2999 }))[0]).toBe('b');
    expect(queues(pickOrder(members, { pick: 'weighted', weights, random: () => 0.3 }))[0]).toBe('c');
    expect(queues(pickOrder(members, { pick: 'weighted', weights, random: () => 0.9999 }))[0]).toBe('c');
  });

  it('only draws among the members that said yes', () => {
    const random = seeded(3);
    for (let draw = 0; draw < 100; draw += 1) {
      expect(queues(pickOrder([yes('a', 1), yes('b', 2)], { pick: 'weighted', weights, random })).sort()).toEqual(['a', 'b']);
    }
  });
});
