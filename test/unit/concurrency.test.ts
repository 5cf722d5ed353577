import { mapWithConcurrency, oneAtATimePerKey } from '../../shared/concurrency';

/** A task per item that settles only when released, so the test sees how many run at once. */
function gatedTasks() {
  const releases: Array<() => void> = [];
  let running = 0;
  let peak = 0;
  const task = (item: number) =>
    new Promise<number>((resolve) => {
      running += 1;
      peak = Math.max(peak, running);
      releases.push(() => {
        running -= 1;
        resolve(item * 10);
      });
    });
  return { task, releases, peak: () => peak, running: () => running };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mapWithConcurrency', () => {
  it('never has more than the limit in flight, starts the next as one settles, keeps input order', async () => {
    const gate = gatedTasks();
    const done = mapWithConcurrency([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, gate.task);
    await tick();
    expect(gate.running()).toBe(3);
    // Release out of order: results still come back in input order.
    while (gate.releases.length > 0) {
      gate.releases.splice(gate.releases.length - 1, 1)[0]!();
      await tick();
      expect(gate.running()).toBeLessThanOrEqual(3);
    }
    await expect(done).resolves.toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(gate.peak()).toBe(3);
  });

  it('runs everything at once when the limit exceeds the items, and handles none', async () => {
    const gate = gatedTasks();
    const done = mapWithConcurrency([1, 2], 8, gate.task);
    await tick();
    expect(gate.running()).toBe(2);
    gate.releases.forEach((release) => release());
    await expect(done).resolves.toEqual([10, 20]);
    await expect(mapWithConcurrency([], 8, gate.task)).resolves.toEqual([]);
  });

  it('rejects with the first failure, as Promise.all does', async () => {
    await expect(
      mapWithConcurrency([1, 2, 3], 2, async (item) => {
        if (item === 2) throw new Error('boom');
        return item;
      }),
    ).rejects.toThrow('boom');
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(mapWithConcurrency([1], 0, async (item) => item)).rejects.toThrow(RangeError);
    await expect(mapWithConcurrency([1], 1.5, async (item) => item)).rejects.toThrow(RangeError);
  });
});

describe('oneAtATimePerKey', () => {
  it('runs the tasks of one key one after another, in order, and other keys alongside', async () => {
    const run = oneAtATimePerKey();
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([run('q', task('a1', 10)), run('q', task('a2', 1)), run('other', task('b', 1))]);
    expect(results).toEqual(['a1', 'a2', 'b']);
    expect(events.indexOf('start a2')).toBeGreaterThan(events.indexOf('end a1'));
    expect(events.indexOf('start b')).toBeLessThan(events.indexOf('end a1'));
  });

  it('a failed task rejects its own caller only; the next task of the key still runs', async () => {
    const run = oneAtATimePerKey();
    const failed = run('q', async () => {
      throw new Error('lost');
    });
    const next = run('q', async () => 'ran');
    await expect(failed).rejects.toThrow('lost');
    await expect(next).resolves.toBe('ran');
  });
});
