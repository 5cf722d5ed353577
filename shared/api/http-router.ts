/**
 * From an API Gateway REST proxy event to a proxy result: find the route in the table,
 * authenticate the caller where the route needs one (before its input is checked), run it.
 * Throws RequestErrors; the edge (error-response.ts) shapes them.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type Caller, findCaller, presentedKey } from '../callers';
import { RequestError } from '../errors';
import { logger } from '../logger';
import type { Runtime } from '../runtime';
import { apiRoutes, matchPath, type RouteMatch } from './routes';

/** `runtime` may be given lazily: public routes answer without it, so a broken config does not fail health. */
export async function handleHttpRequest(runtimeOrGetter: Runtime | (() => Runtime), event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const match = routeOf(event);
  if (!match) throw new RequestError('not_found', 'no such route; try GET /v1/queues/{id}/availability');
  const runtime = typeof runtimeOrGetter === 'function' ? runtimeOrGetter : () => runtimeOrGetter;
  const headers = lowerCaseHeaders(event.headers);
  const query = event.queryStringParameters ?? {};
  const input = { path: match.pathParameters, query };
  if (match.route.auth !== 'caller') return match.route.run({ runtime, event, headers, input });
  // Resolved once here, and handed to the route as values (docs/contributors/architecture.md).
  // Inline rather than an async helper: one await on the answer's path instead of three.
  const container = runtime(); // first: a broken config fails before the key is looked at
  const key = requiredKey(headers, query); // and a missing key before the callers secret is read
  const caller = callerFor(await container.callers(), key);
  logger.addRequestKeys({ caller: caller.name });
  return match.route.run({ runtime, event, headers, input, authenticated: { runtime: container, caller } });
}

/** By API Gateway's resource and method; from the path when the event names no resource. */
function routeOf(event: APIGatewayProxyEvent): RouteMatch | undefined {
  if (event.pathParameters) {
    // A loop, not `find` with an arrow: no closure per request.
    for (const route of apiRoutes) {
      if (route.resource === event.resource && route.method === event.httpMethod) return { route, pathParameters: definedValues(event.pathParameters) };
    }
  }
  return matchPath(event.httpMethod, event.path);
}

function requiredKey(headers: Record<string, string | undefined>, query: Record<string, string | undefined>): string {
  const key = presentedKey(headers, query);
  if (!key) throw new RequestError('unauthorized', 'present a key: x-api-key, Authorization Bearer or Basic, or ?api_key=');
  return key;
}

function callerFor(callers: readonly Caller[], key: string): Caller {
  const caller = findCaller(callers, key);
  if (!caller) throw new RequestError('unauthorized', 'the key matches no caller');
  return caller;
}

function definedValues(parameters: Record<string, string | undefined>): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const name in parameters) {
    const value = parameters[name];
    if (value !== undefined) defined[name] = value;
  }
  return defined;
}

function lowerCaseHeaders(headers: APIGatewayProxyEvent['headers'] | null): Record<string, string | undefined> {
  const lower: Record<string, string | undefined> = Object.create(null); // `constructor` is just a header name
  for (const name in headers) lower[name.toLowerCase()] = headers[name];
  return lower;
}
