/**
 * The one HTTP client every vendor adapter uses: a mandatory abort signal (the queue's time
 * budget), one bounded body read, JSON only, zod validation with a minimal schema, and typed
 * VendorErrors. Error messages never contain the URL (Aloware's carries its token), headers
 * or the vendor's body.
 */
import type * as z from 'zod/mini';
import '../zod-locale';
import { VendorError, type VendorErrorKind } from '../errors';
import { parseRetryAfter } from './retry-after';

export { parseRetryAfter } from './retry-after';

export interface HttpRequest {
  url: URL;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent form-encoded (OAuth token requests). */
  form?: Record<string, string>;
  /** The queue's time budget; required so that no call can run without a timeout. */
  signal: AbortSignal;
  /** Vendor-specific rate-limit headers (e.g. Aircall's X-AircallApi-Reset), in ms to wait. */
  retryAfterFromHeaders?: (headers: Headers) => number | undefined;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface HttpClient {
  requestJson<S extends z.ZodMiniType>(request: HttpRequest, schema: S): Promise<HttpResponse<z.output<S>>>;
  /**
   * The body as text, whatever its content type (VICIdial answers CSV, and PHP labels it
   * text/html): the same statuses, timeout and bounded read; the adapter judges the text.
   */
  requestText(request: HttpRequest): Promise<HttpResponse<string>>;
}

export interface HttpClientOptions {
  fetch?: typeof globalThis.fetch;
  /** Bodies larger than this are a `bad_payload`; no vendor answer here comes close. */
  maxBodyBytes?: number;
  now?: () => number;
}

const defaultMaxBodyBytes = 2 * 1024 * 1024;

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const now = options.now ?? Date.now;

  /** A 2xx response, or the typed error its status means. */
  async function sendOk(request: HttpRequest): Promise<Response> {
    const response = await send(fetchImpl, request);
    if (response.status < 200 || response.status > 299) {
      await response.body?.cancel().catch(() => undefined);
      throw new VendorError(kindForStatus(response.status), `vendor answered HTTP ${response.status}`, {
        status: response.status,
        retryAfterMs: request.retryAfterFromHeaders?.(response.headers) ?? parseRetryAfter(response.headers.get('retry-after'), now()),
      });
    }
    return response;
  }

  async function requestText(request: HttpRequest): Promise<HttpResponse<string>> {
    const response = await sendOk(request);
    return { status: response.status, headers: response.headers, body: await readBody(response, maxBodyBytes, request.signal) };
  }

  async function requestJson<S extends z.ZodMiniType>(request: HttpRequest, schema: S) {
    const response = await sendOk(request);
    const text = await readBody(response, maxBodyBytes, request.signal);
    const body = parseJson(text, response);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const paths = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
      throw new VendorError('bad_payload', `vendor answer did not have the expected shape at: ${paths.join(', ')}`, {
        status: response.status,
      });
    }
    return { status: response.status, headers: response.headers, body: parsed.data as z.output<S> };
  }

  return { requestJson, requestText };
}

async function send(fetchImpl: typeof globalThis.fetch, request: HttpRequest): Promise<Response> {
  const headers: Record<string, string> = { ...request.headers };
  let body: string | undefined;
  if (request.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  }
  try {
    // redirect: 'manual': a vendor redirect must never send us (and a token) to another host.
    return await fetchImpl(request.url, { method: request.method ?? 'GET', headers, body, signal: request.signal, redirect: 'manual' });
  } catch (error) {
    throw transportError(error, request.signal);
  }
}

function transportError(error: unknown, signal: AbortSignal): VendorError {
  if (signal.aborted) return new VendorError('timeout', 'vendor did not answer within the time budget');
  // Only the error code is kept: undici's errors may carry the request URL.
  const code = errorCode(error);
  return new VendorError('network', `could not reach the vendor${code ? ` (${code})` : ''}`);
}

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = cause?.code ?? (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : undefined;
}

async function readBody(response: Response, maxBodyBytes: number, signal: AbortSignal): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBodyBytes) {
        throw new VendorError('bad_payload', `vendor answer is larger than ${maxBodyBytes} bytes`, { status: response.status });
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof VendorError) throw error;
    throw transportError(error, signal);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string, response: Response): unknown {
  const contentType = response.headers.get('content-type') ?? '';
  // Cloudflare error pages and login redirects arrive as 200 text/html: never treat them as data.
  // The vendor's content type is vendor-controlled text: a fixed description, never the header itself.
  if (contentType && !/json/i.test(contentType)) {
    throw new VendorError('bad_payload', 'vendor answered a non-JSON content type', { status: response.status });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new VendorError('bad_payload', 'vendor answer is not valid JSON', { status: response.status });
  }
}

export function kindForStatus(status: number): VendorErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  if (status >= 400) return 'bad_request';
  return 'bad_payload'; // 1xx/3xx: nothing a JSON API should answer
}

/** Joins a configured base URL (which may carry a path prefix) and an endpoint path. */
export function vendorEndpoint(baseUrl: string, path: string, query: Record<string, string | undefined> = {}): URL {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);
  return url;
}
