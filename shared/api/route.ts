/**
 * What a route is: method, path, input schemas, answer schemas and handler in one object. The
 * HTTP handler dispatches on it, the CDK API builds its resources from it, the local server
 * matches it, and openapi.json is generated from it.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type * as z from 'zod/mini';
import '../zod-locale';
import type { Caller } from '../callers';
import { RequestError } from '../errors';
import type { Runtime } from '../runtime';

export type HttpMethod = 'GET' | 'PUT' | 'DELETE';

export interface RouteAnswer {
  description: string;
  json?: z.ZodMiniType;
  text?: z.ZodMiniType;
}

type Auth = 'caller' | 'public';

interface RouteShape<Path extends z.ZodMiniObject, Query extends z.ZodMiniObject, Body extends z.ZodMiniType = z.ZodMiniType, A extends Auth = Auth> {
  method: HttpMethod;
  /** API Gateway's resource template, e.g. `/v1/queues/{id}/availability`. */
  resource: string;
  summary: string;
  /** `caller`: a caller key is required (checked before the input); `public`: no key, no vendor call. */
  auth: A;
  /** Path parameters and query parameters (`z.object({})` when there are none); `body`: a JSON request body. */
  input: { path: Path; query: Query; body?: Body };
  /** By status code; error answers (400, 401, 404, 500) are added for every route. */
  answers: Readonly<Record<number, RouteAnswer>>;
  /** false: served, but not part of openapi.json (the console's page and files). @default true */
  openapi?: false;
}

interface RequestBase<Input> {
  event: APIGatewayProxyEvent;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  input: Input;
}

/** A public route's request: the runtime is built on first use, so a broken config cannot fail health. */
export interface PublicRouteRequest<Input> extends RequestBase<Input> {
  runtime: () => Runtime;
}

/** A caller route's request: the router resolved the runtime and the caller once, before the route runs. */
export interface CallerRouteRequest<Input> extends RequestBase<Input> {
  runtime: Runtime;
  caller: Caller;
}

type RouteRequestFor<A extends Auth, Input> = A extends 'caller' ? CallerRouteRequest<Input> : PublicRouteRequest<Input>;

interface RouteSpec<Path extends z.ZodMiniObject, Query extends z.ZodMiniObject, Body extends z.ZodMiniType, A extends Auth> extends RouteShape<
  Path,
  Query,
  Body,
  A
> {
  /** `body` is undefined on routes without a body schema. */
  handle(request: RouteRequestFor<A, { path: z.output<Path>; query: z.output<Query>; body: z.output<Body> }>): Promise<APIGatewayProxyResult>;
}

/** What the router hands every route: the raw input, and on caller routes the runtime and caller it resolved. */
export interface RawRouteRequest extends RequestBase<{ path: Record<string, string | undefined>; query: Record<string, string | undefined> }> {
  runtime: () => Runtime;
  authenticated?: { runtime: Runtime; caller: Caller };
}

/** A route with its input types erased: `run` parses the raw input and calls the handler. */
export interface ApiRoute extends RouteShape<z.ZodMiniObject, z.ZodMiniObject> {
  run(request: RawRouteRequest): Promise<APIGatewayProxyResult>;
}

export function defineRoute<
  Path extends z.ZodMiniObject,
  Query extends z.ZodMiniObject,
  Body extends z.ZodMiniType = z.ZodMiniUndefined,
  A extends Auth = Auth,
>(spec: RouteSpec<Path, Query, Body, A>): ApiRoute {
  const { path: pathSchema, query: querySchema, body: bodySchema } = spec.input;
  return {
    ...spec,
    async run(request) {
      // Unknown query parameters are ignored (z.object strips them); path problems come first.
      const path = pathSchema.safeParse(request.input.path);
      const query = querySchema.safeParse(request.input.query);
      const issues = [...(path.error?.issues ?? []), ...(query.error?.issues ?? [])];
      if (!path.success || !query.success) throw new RequestError('invalid_request', issues.map((issue) => issue.message).join('; '));
      const body = bodySchema ? parseBody(bodySchema, request.event) : refuseBody(request.event);
      const input = { path: path.data, query: query.data, body: body as z.output<Body> };
      const { event, headers } = request;
      if (spec.auth === 'public') return spec.handle({ event, headers, input, runtime: request.runtime } as RouteRequestFor<A, typeof input>);
      if (!request.authenticated) throw new RequestError('unauthorized', 'present a key');
      const { runtime, caller } = request.authenticated;
      return spec.handle({ event, headers, input, runtime, caller } as RouteRequestFor<A, typeof input>);
    },
  };
}

/**
 * The largest JSON body a route reads (docs/callers/http-api.md): the gate's bodies are a
 * few hundred bytes, and a larger one is refused before it is parsed, here and not only locally.
 */
export const maxJsonBodyBytes = 4 * 1024;

/** A route without a body schema takes no body: sending one is a caller's mistake, said as such. */
function refuseBody(event: APIGatewayProxyEvent): undefined {
  if (event.body) throw new RequestError('invalid_request', 'this route takes no request body');
  return undefined;
}

/** A JSON request body against its schema; every problem named with its field (400 invalid_request). */
function parseBody(schema: z.ZodMiniType, event: APIGatewayProxyEvent): unknown {
  const text = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (!text) throw new RequestError('invalid_request', 'send a JSON body');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxJsonBodyBytes) throw new RequestError('invalid_request', `the body is ${bytes} bytes; at most ${maxJsonBodyBytes} are accepted`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RequestError('invalid_request', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
  throw new RequestError('invalid_request', problems.join('; '));
}
