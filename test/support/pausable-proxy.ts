/**
 * A loopback HTTP proxy in front of a DynamoDB-compatible endpoint that a test can pause: while
 * paused it accepts requests and never answers them (a table that stops answering: throttling,
 * a network partition), and on resume it drops what it held and forwards again.
 */
import { type IncomingMessage, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PausableProxy {
  endpoint: string;
  paused: boolean;
  /** Requests that reached the proxy while paused. */
  readonly held: number;
  resume(): void;
  close(): Promise<void>;
}

export async function startPausableProxy(upstream: string): Promise<PausableProxy> {
  const target = new URL(upstream);
  const hanging: ServerResponse[] = [];
  let held = 0;
  const forward = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const upstreamRequest = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstreamRequest.on('error', () => outgoing.destroy());
    incoming.pipe(upstreamRequest);
  };
  const server = createServer((incoming, outgoing) => {
    if (!proxy.paused) return forward(incoming, outgoing);
    held += 1;
    incoming.resume();
    hanging.push(outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: PausableProxy = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paused: false,
    get held() {
      return held;
    },
    resume() {
      proxy.paused = false;
      for (const outgoing of hanging.splice(0)) outgoing.destroy();
    },
    async close() {
      proxy.resume();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return proxy;
}
