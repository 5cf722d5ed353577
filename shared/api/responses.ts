import type { APIGatewayProxyResult } from 'aws-lambda';

const noStore = { 'Cache-Control': 'no-store' };

export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json; charset=utf-8', ...noStore }, body: JSON.stringify(body) };
}

/** 204: done, nothing to say (a released hold, an ended override). */
export function noContentResponse(): APIGatewayProxyResult {
  return { statusCode: 204, headers: { ...noStore }, body: '' };
}

export function textResponse(statusCode: number, body: string): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...noStore }, body };
}

export function errorBody(error: string, message: string) {
  return { error, message };
}
