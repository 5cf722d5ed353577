/**
 * Starts at most `perTurn` queued tasks per event-loop turn, the rest on the next turns.
 *
 * Why: since libuv 1.45 (Node 20), a listening socket accepts ONE connection per loop turn
 * (libuv PR #3696). Under hundreds of keep-alive connections, one turn handles a request from
 * every busy connection, so a turn takes tens of milliseconds and connections waiting in the
 * kernel's accept queue are taken one per turn: the last of 500 waited 5 to 10 s. Handling a
 * bounded batch per turn keeps turns short, so waiting connections are accepted within a few
 * turns while busy connections still get their turn in arrival order.
 */
export type Schedule = (task: () => void) => void;

export function turnScheduler(perTurn: number): Schedule {
  if (perTurn <= 0) return (task) => task();
  let queue: Array<(() => void) | undefined> = [];
  let head = 0;
  let pending = false;
  const drain = () => {
    pending = false;
    const end = Math.min(queue.length, head + perTurn);
    while (head < end) {
      const task = queue[head]!;
      queue[head++] = undefined;
      task();
    }
    if (head < queue.length) {
      pending = true;
      setImmediate(drain); // runs after the next poll phase, which may accept a connection
    } else {
      queue = [];
      head = 0;
    }
  };
  return (task) => {
    queue.push(task);
    if (!pending) {
      pending = true;
      setImmediate(drain);
    }
  };
}
