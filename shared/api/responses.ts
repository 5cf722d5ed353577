import type { APIGatewayProxyResult } from 'aws-lambda';

// Header objects written out, not spread from a shared constant: a literal is one allocation.
// Every answer gets its own object, so no caller can change another answer's headers.

export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body: JSON.stringify(body) };
}

/** 204: done, nothing to say (a released hold, an ended override). */
export function noContentResponse(): APIGatewayProxyResult {
  return { statusCode: 204, headers: { 'Cache-Control': 'no-store' }, body: '' };
}

export function textResponse(statusCode: number, body: string): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, body };
}

export function errorBody(error: string, message: string) {
  return { error, message };
}
