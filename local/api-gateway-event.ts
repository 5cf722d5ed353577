/**
 * Turns a Node HTTP request into the event an API Gateway REST API (proxy integration) sends,
 * and a proxy result back into an HTTP response, as AWS documents them. Unmatched routes get
 * what API Gateway itself answers: 403 "Missing Authentication Token".
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { apiRoutes } from '../shared/api/routes';

export const localStage = 'local';

interface MatchedRoute {
  resource: string;
  pathParameters: Record<string, string> | null;
}

export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const route of apiRoutes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = route.resource.replace(/\{(\w+)\}/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const match = new RegExp(`^${pattern}$`).exec(trimmed);
    if (!match) continue;
    const pathParameters = Object.fromEntries(names.map((name, index) => [name, safeDecode(match[index + 1]!)]));
    return { resource: route.resource, pathParameters: names.length ? pathParameters : null };
  }
  return undefined;
}

export function toApiGatewayEvent(request: IncomingMessage, route: MatchedRoute, requestId: string): APIGatewayProxyEvent {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const { single: headers, multi: multiValueHeaders } = headerMaps(request.rawHeaders);
  const { single: query, multi: multiQuery } = queryMaps(url.searchParams);
  const now = Date.now();
  return {
    resource: route.resource,
    path: url.pathname,
    httpMethod: request.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: query,
    multiValueQueryStringParameters: multiQuery,
    pathParameters: route.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${request.httpVersion}`,
      httpMethod: request.method ?? 'GET',
      path: `/${localStage}${url.pathname}`,
      stage: localStage,
      requestId,
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: route.resource,
      identity: identityOf(request),
    } as APIGatewayProxyEvent['requestContext'],
    body: null,
    isBase64Encoded: false,
  };
}

export function lambdaContext(functionName: string, requestId: string, timeoutMs = 10_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function writeProxyResult(response: ServerResponse, result: APIGatewayProxyResult, requestId: string): void {
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '', 'utf8');
  const headers: Record<string, string | string[]> = { 'x-amzn-RequestId': requestId };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
  headers['Content-Length'] = String(body.byteLength);
  response.writeHead(result.statusCode, headers);
  response.end(body);
}

export function newRequestId(): string {
  return randomUUID();
}

function headerMaps(rawHeaders: string[]) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!;
    const value = rawHeaders[index + 1]!;
    single[name] = value; // API Gateway keeps the last value in `headers`
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

function queryMaps(params: URLSearchParams) {
  if ([...params.keys()].length === 0) return { single: null, multi: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of params) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

function identityOf(request: IncomingMessage): APIGatewayProxyEvent['requestContext']['identity'] {
  return {
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
    userAgent: request.headers['user-agent'] ?? null,
    accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null, clientCert: null,
    cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
    cognitoIdentityPoolId: null, principalOrgId: null, user: null, userArn: null,
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
