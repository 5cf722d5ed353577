/**
 * Stands in for `mnemonist/lru-cache` in the function bundles (an esbuild alias,
 * infra/bundle-aliases.ts). Its one user there is the DynamoDB client's endpoint-discovery cache
 * (@aws-sdk/endpoint-cache), built with every client although discovery stays off unless
 * AWS_ENABLE_ENDPOINT_DISCOVERY turns it on; mnemonist's typed-array LRU and obliterator come to
 * about 7 KiB. This is the same least-recently-used cache on a Map (its insertion order is the
 * recency order), with the methods that cache calls. Outside the bundles the real one is used.
 */
export default class LRUCache<K, V> {
  readonly #items = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (typeof capacity !== 'number' || capacity <= 0) throw new Error('mnemonist/lru-cache: capacity should be positive number.');
  }

  get size(): number {
    return this.#items.size;
  }

  has(key: K): boolean {
    return this.#items.has(key);
  }

  /** The value, without making it the most recent. */
  peek(key: K): V | undefined {
    return this.#items.get(key);
  }

  /** The value, made the most recent. */
  get(key: K): V | undefined {
    if (!this.#items.has(key)) return undefined;
    const value = this.#items.get(key) as V;
    this.#items.delete(key);
    this.#items.set(key, value);
    return value;
  }

  /** Stores the value as the most recent; past capacity, the least recent entry goes. */
  set(key: K, value: V): void {
    this.#items.delete(key);
    this.#items.set(key, value);
    if (this.#items.size > this.capacity) this.#items.delete(this.#items.keys().next().value as K);
  }

  clear(): void {
    this.#items.clear();
  }
}
