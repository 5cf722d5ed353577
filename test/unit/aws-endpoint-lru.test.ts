/** The bundles' stand-in for mnemonist/lru-cache (infra/bundle-aliases.ts) behaves as the real one for what @aws-sdk/endpoint-cache calls. */
import { EndpointCache } from '@aws-sdk/endpoint-cache';
import RealLRUCache from 'mnemonist/lru-cache';
import LRUCache from '../../shared/aws-endpoint-lru';

/** A small deterministic generator, so a failure replays. */
function sequence(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % below;
  };
}

test('the same answers as mnemonist over 20,000 random calls of every method endpoint-cache uses', () => {
  for (const capacity of [1, 3, 10]) {
    const next = sequence(capacity);
    const real = new RealLRUCache<string, number>(capacity);
    const standIn = new LRUCache<string, number>(capacity);
    for (let step = 0; step < 20_000; step += 1) {
      const key = `k${next(capacity * 2 + 1)}`;
      const call = next(10);
      if (call < 4) {
        real.set(key, step);
        standIn.set(key, step);
      } else if (call < 6) expect(standIn.get(key)).toBe(real.get(key));
      else if (call < 8) expect(standIn.peek(key)).toBe(real.peek(key));
      else if (call < 9) expect(standIn.has(key)).toBe(real.has(key));
      else if (next(50) === 0) {
        real.clear();
        standIn.clear();
      }
      expect(standIn.size).toBe(real.size);
    }
  }
});

test('refuses a capacity that is not a positive number, as mnemonist does', () => {
  expect(() => new LRUCache(0)).toThrow('mnemonist/lru-cache: capacity should be positive number.');
  expect(() => new RealLRUCache(0)).toThrow('mnemonist/lru-cache: capacity should be positive number.');
});

test('endpoint-cache uses only the methods the stand-in has', () => {
  const used = new Set<string>();
  const spy = new Proxy(new RealLRUCache<string, unknown>(4), {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value === 'function' && typeof name === 'string') used.add(name);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const cache = new EndpointCache(4);
  Object.assign(cache, { cache: spy });
  cache.set('a', [{ Address: 'x', CachePeriodInMinutes: 1 }]);
  cache.getEndpoint('a');
  cache.has('a');
  cache.delete('a');
  cache.get('a');
  cache.clear();
  expect([...used].sort()).toEqual(['clear', 'get', 'has', 'peek', 'set']);
  for (const name of used) expect(typeof (LRUCache.prototype as unknown as Record<string, unknown>)[name]).toBe('function');
});
