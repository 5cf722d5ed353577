/**
 * A stand-in for `fetch` that answers from a function and records every call, so that HTTP code
 * can be tested without a network.
 */
export interface RecordedRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: string | undefined;
  signal: AbortSignal | undefined;
  redirect: RequestInit['redirect'];
}

export type FakeFetch = typeof globalThis.fetch & { calls: RecordedRequest[] };

export function fakeFetch(answer: (request: RecordedRequest) => Response | Promise<Response>): FakeFetch {
  const calls: RecordedRequest[] = [];
  const fetchImpl = async (input: string | URL | Request, init: RequestInit = {}) => {
    const request: RecordedRequest = {
      url: new URL(String(input)),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : undefined,
      signal: init.signal ?? undefined,
      redirect: init.redirect,
    };
    calls.push(request);
    if (request.signal?.aborted) throw abortError();
    return answer(request);
  };
  return Object.assign(fetchImpl, { calls }) as FakeFetch;
}

/** Like fetch on a silent server: rejects with an AbortError when the request's signal aborts. */
export function hangingFetch(): FakeFetch {
  return fakeFetch(
    (request) =>
      new Promise<Response>((_resolve, reject) => {
        request.signal?.addEventListener('abort', () => reject(abortError()), { once: true });
      }),
  );
}

export function abortError(): Error {
  return new DOMException('This operation was aborted', 'AbortError');
}

export function jsonReply(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function textReply(body: string, status = 200, contentType = 'text/plain', headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'Content-Type': contentType, ...headers } });
}
