/**
 * Turns a Node HTTP request into the event an API Gateway REST API (proxy integration) sends,
 * and a proxy result back into an HTTP response, as AWS documents them. Unmatched routes get
 * what API Gateway itself answers: 403 "Missing Authentication Token".
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { matchPath } from '../shared/api/routes';

export const localStage = 'local';

interface MatchedRoute {
  resource: string;
  pathParameters: Record<string, string> | null;
  /** Set when the route reads a JSON body (it has a body schema). */
  takesBody?: true;
}

/** The route table's own matcher (precompiled patterns), in the event's terms: no parameters is `null`. */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  const match = matchPath(method, path);
  if (!match) return undefined;
  const hasParameters = match.route.resource.includes('{');
  const matched: MatchedRoute = { resource: match.route.resource, pathParameters: hasParameters ? match.pathParameters : null };
  if (match.route.input.body) matched.takesBody = true;
  return matched;
}

export interface RequestTarget {
  path: string;
  query: URLSearchParams;
}

/**
 * The path and query of a request target, or undefined when it is neither origin-form (`/path?q`)
 * nor a valid absolute URL. Origin-form is split by hand, not given to `new URL()`: `//host/path`
 * would become a host there, and `//`, `/\` or `//a:99999` would throw. API Gateway sees such a
 * target as a path that matches no resource.
 */
export function parseRequestTarget(target: string): RequestTarget | undefined {
  if (target.startsWith('/')) {
    const mark = target.indexOf('?');
    if (mark < 0) return { path: target, query: new URLSearchParams() };
    return { path: target.slice(0, mark), query: new URLSearchParams(target.slice(mark + 1)) };
  }
  try {
    const url = new URL(target); // absolute-form, as a proxy sends it
    return url.protocol === 'http:' || url.protocol === 'https:' ? { path: url.pathname, query: url.searchParams } : undefined;
  } catch {
    return undefined;
  }
}

/** `body`: the request body as text (read by server.ts), null when there is none, as API Gateway sends it. */
export function toApiGatewayEvent(
  request: IncomingMessage,
  target: RequestTarget,
  route: MatchedRoute,
  requestId: string,
  body: string | null = null,
): APIGatewayProxyEvent {
  const { single: headers, multi: multiValueHeaders } = headerMaps(request.rawHeaders);
  const { single: query, multi: multiQuery } = queryMaps(target.query);
  const now = Date.now();
  return {
    resource: route.resource,
    path: target.path,
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
      path: `/${localStage}${target.path}`,
      stage: localStage,
      requestId,
      requestTime: requestTimeOf(now),
      requestTimeEpoch: now,
      extendedRequestId: requestId,
      domainName: request.headers.host ?? 'localhost',
      domainPrefix: domainPrefixOf(request.headers.host),
      resourceId: 'local',
      resourcePath: route.resource,
      identity: identityOf(request),
    } as APIGatewayProxyEvent['requestContext'],
    body,
    isBase64Encoded: false,
  };
}

/**
 * A Lambda context for one local invocation. A class, not an object literal of arrow functions:
 * nothing is created per request but the object itself (under tsx, each closure also costs a
 * keepNames `__name` call).
 */
class LocalContext implements Context {
  readonly callbackWaitsForEmptyEventLoop = true;
  readonly functionVersion = '$LATEST';
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB = '256';
  readonly logGroupName: string;
  readonly logStreamName = 'local';
  readonly #deadline: number;

  constructor(
    readonly functionName: string,
    readonly awsRequestId: string,
    timeoutMs: number,
  ) {
    this.invokedFunctionArn = `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`;
    this.logGroupName = `/aws/lambda/${functionName}`;
    this.#deadline = Date.now() + timeoutMs;
  }

  getRemainingTimeInMillis(): number {
    return Math.max(0, this.#deadline - Date.now());
  }

  done(): void {}
  fail(): void {}
  succeed(): void {}
}

export function lambdaContext(functionName: string, requestId: string, timeoutMs = 10_000): Context {
  return new LocalContext(functionName, requestId, timeoutMs);
}

export function writeProxyResult(response: ServerResponse, result: APIGatewayProxyResult, requestId: string): void {
  // A text body stays a string: Node then sends head and body in one write instead of two.
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : (result.body ?? '');
  const headers: Record<string, string | string[]> = { 'x-amzn-RequestId': requestId };
  for (const name in result.headers) headers[name] = String(result.headers[name]);
  for (const name in result.multiValueHeaders) headers[name] = result.multiValueHeaders[name]!.map(String);
  headers['Content-Length'] = String(typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength);
  response.writeHead(result.statusCode, headers);
  response.end(body);
}

export function newRequestId(): string {
  return randomUUID();
}

/**
 * Event maps have no prototype, so a header or query name such as `constructor` or `__proto__`
 * is just a name: it neither reads as Object's member nor replaces the map's prototype.
 */
function emptyMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function headerMaps(rawHeaders: string[]) {
  const single = emptyMap<string>();
  const multi = emptyMap<string[]>();
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!;
    const value = rawHeaders[index + 1]!;
    single[name] = value; // API Gateway keeps the last value in `headers`
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

function queryMaps(params: URLSearchParams) {
  if (params.size === 0) return { single: null, multi: null };
  const single = emptyMap<string>();
  const multi = emptyMap<string[]>();
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
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    user: null,
    userArn: null,
  };
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (value: number) => (value < 10 ? `0${value}` : String(value));

/** The last second formatted: every request within one second has the same `requestTime`. */
let lastRequestTime = { second: Number.NaN, text: '' };

/** API Gateway's `requestTime`: `22/Nov/2026:13:46:41 +0000` (CLF format, UTC). */
export function requestTimeOf(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second === lastRequestTime.second) return lastRequestTime.text;
  const date = new Date(second * 1000);
  const day = `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}`;
  const text = `${day}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
  lastRequestTime = { second, text };
  return text;
}

/** The first label of the host name, as API Gateway gives it (`abc123` for abc123.execute-api...). */
function domainPrefixOf(host: string | undefined): string {
  return (host ?? 'localhost').split(/[.:]/, 1)[0] || 'localhost';
}
