/**
 * The local server's turn scheduler (issue 7 point 5): a bounded batch of requests per event-loop
 * turn, so that a connection waiting in the accept queue is taken between batches.
 */
import { type AddressInfo, connect, createServer } from 'node:net';
import { turnScheduler } from '../../../local/turn-scheduler';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function busy(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* a request's synchronous work */
  }
}

describe('turnScheduler', () => {
  it('starts at most perTurn tasks per turn, in arrival order', async () => {
    const schedule = turnScheduler(3);
    const ran: number[] = [];
    for (let index = 0; index < 7; index++) schedule(() => ran.push(index));
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toEqual([0, 1, 2]);
    await nextTurn();
    expect(ran).toEqual([0, 1, 2, 3, 4, 5]);
    await nextTurn();
    expect(ran).toEqual([0, 1, 2, 3, 4, 5, 6]);
    schedule(() => ran.push(7)); // an empty queue starts again
    await nextTurn();
    expect(ran).toHaveLength(8);
  });

  it('runs tasks at once when perTurn is 0 (no scheduling)', () => {
    const ran: number[] = [];
    turnScheduler(0)(() => ran.push(1));
    expect(ran).toEqual([1]);
  });

  it('lets a waiting connection be accepted between batches, long before the queue is done', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    let done = 0;
    let doneWhenAccepted = -1;
    server.on('connection', () => (doneWhenAccepted = done));
    const schedule = turnScheduler(4);
    const total = 200;
    for (let index = 0; index < total; index++)
      schedule(() => {
        busy(1);
        done++;
      });
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    client.on('error', () => undefined);
    while (done < total) await nextTurn();
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
    // All 200 in one turn (no scheduler) would accept the connection only after every task.
    expect(doneWhenAccepted).toBeGreaterThanOrEqual(0);
    expect(doneWhenAccepted).toBeLessThan(total / 4);
  });
});
