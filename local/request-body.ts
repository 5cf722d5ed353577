/**
 * The request body as API Gateway hands it to the function, without letting a request that has
 * no known key make the local gate hold its upload (README "What the gate answers"):
 * - a body over API Gateway's 10 MB payload limit is a 413, announced (Content-Length) or
 *   found while reading (chunked), and its reading stops there;
 * - a route that takes no body refuses one before reading anything;
 * - a body is read only once the request's key is known to match a caller; otherwise the
 *   function gets no body and answers 401 itself, as it would have anyway.
 */
import type { IncomingMessage } from 'node:http';
import type { GatewayErrorAnswer } from '../shared/api/gateway-errors';
import { requestTooLargeAnswer } from '../shared/api/gateway-errors';

/** API Gateway's payload quota for REST APIs: 10 MB. */
export const maxRequestBodyBytes = 10 * 1024 * 1024;

/** A body on a route that takes none (the function would refuse it too, after the key). */
export const unexpectedBodyAnswer: GatewayErrorAnswer = { statusCode: 400, code: 'invalid_request', message: 'this route takes no request body' };

/** The body grew past the limit while it was read. */
export class RequestBodyTooLargeError extends Error {
  override readonly name = 'RequestBodyTooLargeError';
}

/**
 * Whether the request says it has a body (RFC 9112 section 6.3): a Transfer-Encoding, or a
 * Content-Length other than 0. Without either, nothing is read: no async iterator for a GET.
 */
export function announcesBody(request: IncomingMessage): boolean {
  const { headers } = request;
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

/** The refusal due before any byte of the body is read, or undefined. */
export function bodyRefusal(request: IncomingMessage, takesBody: boolean, maxBytes = maxRequestBodyBytes): GatewayErrorAnswer | undefined {
  if (!announcesBody(request)) return undefined;
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) return requestTooLargeAnswer;
  return takesBody ? undefined : unexpectedBodyAnswer;
}

/**
 * The request body as UTF-8 text, null when empty (API Gateway's `body` for a request without
 * one), or null without reading when the request announces none. Throws RequestBodyTooLargeError
 * as soon as more than `maxBytes` arrived.
 */
export function readRequestBody(request: IncomingMessage, maxBytes = maxRequestBodyBytes): Promise<string | null> | null {
  return announcesBody(request) ? readBody(request, maxBytes) : null;
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size > maxBytes) throw new RequestBodyTooLargeError(`request body over ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return size === 0 ? null : Buffer.concat(chunks).toString('utf8');
}
