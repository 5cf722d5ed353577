/**
 * What every vendor simulator shares: a loopback server, a population of fake agents, call
 * counts, and failure modes (slow, 5xx, HTML, 401, 403, 429, bad JSON) switchable in-process or
 * over HTTP (`POST /__sim/mode {"mode":"5xx"}`, `POST /__sim/agents {"available":2}`,
 * `GET /__sim`). Each vendor file adds only its credential checks and documented bodies.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJsonOrUndefined, readBody, sendJson, sendText } from './http-helpers';

export type AgentStatus = 'available' | 'busy' | 'away' | 'offline';
export interface SimAgent {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  status: AgentStatus;
}
export type AgentCounts = Partial<Record<AgentStatus, number>>;

export const failureModes = ['ok', 'slow', '5xx', 'html', '401', '403', '429', 'bad-json'] as const;
export type FailureMode = (typeof failureModes)[number];

export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}
export interface SimResponse {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (a vendor that is slow on one endpoint only). */
  delayMs?: number;
}

export interface SimulatorOptions {
  port?: number;
  agents?: AgentCounts;
  /** Prefix for fake agent names, e-mails and phone numbers (leak tests use a sentinel). */
  personalDataMarker?: string;
}

export interface VendorSimulator {
  readonly vendor: string;
  readonly url: string;
  readonly port: number;
  agents: SimAgent[];
  setMode(mode: FailureMode, options?: { slowMs?: number; retryAfterSeconds?: number }): void;
  setAgents(counts: AgentCounts): void;
  /** Vendor calls received (control calls not counted), optionally only those whose path starts with `pathPrefix`. */
  calls(pathPrefix?: string): number;
  resetCalls(): void;
  close(): Promise<void>;
}

export interface SimulatorSpec {
  vendor: string;
  /** Answers a vendor request; undefined means 404. Failure modes are applied before this is called. */
  handle(request: SimRequest, simulator: VendorSimulator): SimResponse | undefined | Promise<SimResponse | undefined>;
  /** Vendor-specific failure answers (e.g. Aircall's 403 body); defaults are generic. */
  failure?: Partial<Record<FailureMode, (simulator: VendorSimulator) => SimResponse>>;
  /** A vendor's own `POST /__sim/...` action (e.g. Vonage's expire-tokens); true when it handled `path`. */
  control?: (path: string, simulator: VendorSimulator) => boolean;
}

export const defaultAgentCounts: AgentCounts = { available: 3, busy: 1, away: 1, offline: 1 };

export function makeAgents(counts: AgentCounts, marker = 'Sim'): SimAgent[] {
  const agents: SimAgent[] = [];
  for (const status of ['available', 'busy', 'away', 'offline'] as const) {
    for (let index = 0; index < (counts[status] ?? 0); index += 1) {
      const id = 1001 + agents.length;
      agents.push({
        id,
        firstName: `${marker}Agent`,
        lastName: `No${id}`,
        email: `${marker.toLowerCase()}.agent${id}@example.test`,
        phone: `+1555010${id}`,
        status,
      });
    }
  }
  return agents;
}

export async function startSimulator(spec: SimulatorSpec, options: SimulatorOptions = {}): Promise<VendorSimulator> {
  const state: SimState = { mode: 'ok', slowMs: 5000, retryAfterSeconds: 2, callLog: [] };
  const delays = cancellableDelays();
  // The handler runs only once the server listens, after `simulator` below is defined.
  const server: Server = createServer((request, response) => void serve(spec, simulator, state, delays.delay, request, response));
  const simulator: VendorSimulator = {
    vendor: spec.vendor,
    url: '',
    port: 0,
    agents: makeAgents(options.agents ?? defaultAgentCounts, options.personalDataMarker),
    setMode(next, modeOptions = {}) {
      state.mode = next;
      state.slowMs = modeOptions.slowMs ?? state.slowMs;
      state.retryAfterSeconds = modeOptions.retryAfterSeconds ?? state.retryAfterSeconds;
    },
    setAgents(counts) {
      simulator.agents = makeAgents(counts, options.personalDataMarker);
    },
    calls: (pathPrefix) => state.callLog.filter((path) => !pathPrefix || path.startsWith(pathPrefix)).length,
    resetCalls: () => void state.callLog.splice(0),
    close: () =>
      new Promise((resolve) => {
        delays.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const port = await listenOnLoopback(server, options.port ?? 0);
  Object.assign(simulator, { port, url: `http://127.0.0.1:${port}` });
  return simulator;
}

interface SimState {
  mode: FailureMode;
  slowMs: number;
  retryAfterSeconds: number;
  callLog: string[];
}

/** Delays that close() cancels, so a slow simulator never outlives its test. */
function cancellableDelays() {
  const timers = new Set<NodeJS.Timeout>();
  return {
    delay: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),
    cancelAll: () => {
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

async function serve(
  spec: SimulatorSpec,
  simulator: VendorSimulator,
  state: SimState,
  delay: (ms: number) => Promise<void>,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const body = await readBody(request);
  const method = request.method ?? 'GET';
  if (url.pathname.startsWith('/__sim')) return control(spec, simulator, state, { method, path: url.pathname, text: body }, response);
  state.callLog.push(url.pathname);
  let answer: SimResponse;
  if (state.mode === 'slow') await delay(state.slowMs);
  if (state.mode !== 'ok' && state.mode !== 'slow') answer = (spec.failure?.[state.mode] ?? genericFailure[state.mode])(simulator, state.retryAfterSeconds);
  else answer = (await spec.handle({ method, url, headers: request.headers, body }, simulator)) ?? { status: 404, json: { message: 'Not Found' } };
  if (answer.delayMs) await delay(answer.delayMs);
  if (response.destroyed) return;
  if (answer.json !== undefined) sendJson(response, answer.status, answer.json, answer.contentType ?? 'application/json', answer.headers);
  else sendText(response, answer.status, answer.text ?? '', answer.contentType, answer.headers);
}

/** `/__sim/...`: switch failure modes and agents, or read the simulator's state. */
function control(
  spec: SimulatorSpec,
  simulator: VendorSimulator,
  state: SimState,
  request: { method: string; path: string; text: string },
  response: ServerResponse,
) {
  const { method, path } = request;
  const input = parseJsonOrUndefined(request.text) as Record<string, unknown> | undefined;
  if (method === 'POST' && path === '/__sim/mode' && failureModes.includes(input?.mode as FailureMode)) {
    simulator.setMode(input!.mode as FailureMode, { slowMs: input!.slowMs as number, retryAfterSeconds: input!.retryAfterSeconds as number });
  } else if (method === 'POST' && path === '/__sim/agents' && input) {
    simulator.setAgents(input as AgentCounts);
  } else if (method === 'POST' && spec.control?.(path, simulator)) {
    // handled by the vendor's own action
  } else if (method !== 'GET') {
    return sendJson(response, 400, { error: `POST /__sim/mode {"mode": one of ${failureModes.join(', ')}} or /__sim/agents {"available":N,...}` });
  }
  const counts: AgentCounts = {};
  for (const agent of simulator.agents) counts[agent.status] = (counts[agent.status] ?? 0) + 1;
  sendJson(response, 200, { vendor: spec.vendor, mode: state.mode, agents: counts, calls: state.callLog.length });
}

async function listenOnLoopback(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // e.g. EADDRINUSE: the caller decides what a busy port means
    server.listen(port, '127.0.0.1', resolve);
  });
  return (server.address() as AddressInfo).port;
}

const genericFailure: Record<Exclude<FailureMode, 'ok' | 'slow'>, (simulator: VendorSimulator, retryAfterSeconds: number) => SimResponse> = {
  '5xx': () => ({ status: 503, json: { message: 'Service Unavailable' } }),
  // What a wrong host or an expired session tends to return: an HTML page with a 200.
  html: () => ({ status: 200, text: '<!DOCTYPE html><html><body><h1>Please sign in</h1></body></html>', contentType: 'text/html; charset=utf-8' }),
  '401': () => ({ status: 401, json: { message: 'Unauthorized' } }),
  '403': () => ({ status: 403, json: { message: 'Forbidden' } }),
  '429': (_simulator, retryAfterSeconds) => ({ status: 429, json: { message: 'Too Many Requests' }, headers: { 'Retry-After': String(retryAfterSeconds) } }),
  'bad-json': () => ({ status: 200, text: '{"truncated": ', contentType: 'application/json' }),
};

/** Agents whose status is one of `statuses`. */
export function agentsWith(simulator: VendorSimulator, ...statuses: AgentStatus[]): SimAgent[] {
  return simulator.agents.filter((agent) => statuses.includes(agent.status));
}
