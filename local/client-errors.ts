/**
 * Requests Node's HTTP parser refuses before any handler sees them (an oversized header, a
 * malformed request line, a request that took too long to arrive), answered in the gate's
 * error shape with the usual headers (README "What the gate answers") instead of Node's bare
 * status line. The server's `clientError` listener.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { newRequestId } from './api-gateway-event';

interface ClientError {
  status: number;
  message: string;
}

/** By Node's error code (llhttp's HPE_* and Node's own); anything else is a malformed request. */
const clientErrors: Readonly<Record<string, ClientError>> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'the request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'the request took too long to arrive' },
  ERR_HTTP_HEADERS_TIMEOUT: { status: 408, message: 'the request headers took too long to arrive' },
};
const malformed: ClientError = { status: 400, message: 'malformed HTTP request' };

export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A connection the client already dropped has no one to answer.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, message } = clientErrors[error.code ?? ''] ?? malformed;
  const body = JSON.stringify({ error: 'invalid_request', message });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json; charset=utf-8',
    'Cache-Control: no-store',
    `x-amzn-RequestId: ${newRequestId()}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
