/**
 * A loopback proxy in front of a DynamoDB-compatible endpoint that records every table call
 * (X-Amz-Target, start, end) and delays each by `hopMs` (a network hop), so calls made in
 * parallel overlap; and the sequential depth of a request's calls. Used by bench/round-trips.ts
 * and bench/limits.ts.
 */
import { type IncomingMessage, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Call {
  target: string;
  start: number;
  end: number;
}

/** A loopback proxy that records every table call (target, start, end). */
export async function countingProxy(upstream: string, hopMs: number) {
  const calls: Call[] = [];
  const target = new URL(upstream);
  const server = createServer((incoming: IncomingMessage, outgoing) => {
    const call: Call = { target: String(incoming.headers['x-amz-target'] ?? '?').replace('DynamoDB_20120810.', ''), start: performance.now(), end: Number.NaN };
    calls.push(call);
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      setTimeout(() => {
        const forward = httpRequest(
          { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
            answer.pipe(outgoing);
            answer.on('end', () => (call.end = performance.now()));
          },
        );
        forward.end(Buffer.concat(chunks));
      }, hopMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** The longest chain of calls each started after the previous one ended (greedy by earliest end). */
export function sequentialDepth(calls: readonly Call[]): number {
  let depth = 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.end - b.end)) {
    if (call.start >= lastEnd) {
      depth += 1;
      lastEnd = call.end;
    }
  }
  return depth;
}
