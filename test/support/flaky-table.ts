/**
 * A "table" for unit tests: one MemoryStore standing in for DynamoDB, shared by several gates,
 * that the test can take down (every call throws) and bring back. Each gate gets its own
 * ResilientStore in front of it (its own circuit and container memory), as Lambda containers do.
 */
import { MemoryStore } from '../../shared/state/memory-store';
import { ResilientStore } from '../../shared/state/resilient-store';
import type { StateStore } from '../../shared/state/store';

export interface FlakyTable {
  /** The table's own data (what every container would see). */
  readonly data: MemoryStore;
  /** Calls that reached the table, by method name. */
  readonly calls: string[];
  down: boolean;
  /** One container's view of the table: a resilient store on `now`'s clock. */
  storeFor(now: () => number): ResilientStore;
}

export function flakyTable(): FlakyTable {
  const data = new MemoryStore();
  const calls: string[] = [];
  const table: FlakyTable = {
    data,
    calls,
    down: false,
    storeFor: (now) => new ResilientStore({ primary, now }),
  };
  const primary = new Proxy(data, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !(property in MemoryStore.prototype)) return value;
      return async (...args: unknown[]) => {
        calls.push(String(property));
        if (table.down) throw new Error('ThrottlingException: the table is down');
        return Reflect.apply(value, target, args);
      };
    },
  }) as StateStore;
  return table;
}
