/**
 * openapi.json (docs/callers/http-api.md), generated from the route table and the zod answer
 * schemas with zod 4's own JSON Schema output: OpenAPI 3.1 schemas are JSON Schema 2020-12, so
 * no extra library is needed. Run at build and test time only (`npm run openapi`); the API serves
 * the committed file, which keeps zod's JSON Schema generator out of the Lambda bundles.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { errorAnswerSchema } from './answer-schemas';
import type { ApiRoute, RouteAnswer } from './route';
import { apiRoutes } from './routes';

type JsonObject = Record<string, unknown>;

/** The four ways a caller may present its key (docs/operators/callers-and-keys.md). */
const securitySchemes = {
  apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
  bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer KEY' },
  basic: { type: 'http', scheme: 'basic', description: 'HTTP Basic with the key as password (any user name)' },
  apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key' },
};

const errorStatuses: Record<number, string> = {
  400: 'invalid_request: malformed input',
  401: 'unauthorized: no key, or a key that matches no caller',
  404: 'queue_not_found, or not_found (no such route or method)',
  429: 'rate_limited: the API is throttling requests, or (availability) the key is over its pingsPerMinute; with Retry-After in seconds',
  500: 'internal_error',
};

export function openapiDocument(routes: readonly ApiRoute[] = apiRoutes): JsonObject {
  const components: Record<string, unknown> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.openapi === false) continue;
    paths[route.resource] ??= {};
    paths[route.resource]![route.method.toLowerCase()] = operation(route, components);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'transfer-gate',
      version: '1',
      description: 'Can I transfer a live call to this queue now? Callers present a key in any one of the four security schemes.',
    },
    paths,
    components: {
      schemas: sortedKeys(components),
      headers: { CacheControl: { description: 'Every answer: never cache', schema: { const: 'no-store' } } },
      securitySchemes,
    },
  };
}

export function openapiText(): string {
  return `${JSON.stringify(openapiDocument(), null, 2)}\n`;
}

function operation(route: ApiRoute, components: Record<string, unknown>): JsonObject {
  const parameters = [...parametersOf('path', route.input.path), ...parametersOf('query', route.input.query)];
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(route.answers)) responses[status] = response(answer, components);
  for (const [status, description] of Object.entries(errorStatuses)) {
    const applies = (status !== '401' || route.auth === 'caller') && (status !== '400' || parameters.length > 0 || route.input.body !== undefined);
    // A route's own description of an error status (e.g. 404 hold_not_found, override_not_found) wins.
    if (applies) responses[status] ??= response({ description, json: errorAnswerSchema }, components);
  }
  return {
    operationId: operationId(route),
    summary: route.summary,
    security: route.auth === 'caller' ? Object.keys(securitySchemes).map((name) => ({ [name]: [] })) : [],
    ...(parameters.length ? { parameters } : {}),
    ...(route.input.body && {
      requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.input.body, components, 'input') } } },
    }),
    responses,
  };
}

function parametersOf(where: 'path' | 'query', schema: z.ZodMiniObject): JsonObject[] {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !z.safeParse(field, undefined).success,
    schema: jsonSchema(field, {}),
  }));
}

function response(answer: RouteAnswer, components: Record<string, unknown>): JsonObject {
  const content: Record<string, unknown> = {};
  if (answer.json) content['application/json'] = { schema: jsonSchema(answer.json, components) };
  if (answer.text) content['text/plain'] = { schema: jsonSchema(answer.text, components) };
  // An empty answer (204) has no content at all.
  return {
    description: answer.description,
    headers: { 'Cache-Control': { $ref: '#/components/headers/CacheControl' } },
    ...(Object.keys(content).length ? { content } : {}),
  };
}

/** The schema, with named ones (`.meta({ id })`) moved to components and referenced from there. */
function jsonSchema(schema: z.core.$ZodType, components: Record<string, unknown>, io: 'input' | 'output' = 'output'): unknown {
  const { $schema: _dialect, $defs, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
  // A named schema inside another (Status holds Override) refers to it from $defs too.
  const toComponents = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'));
  Object.assign(components, toComponents($defs ?? {}));
  return toComponents(rest);
}

function operationId(route: ApiRoute): string {
  const words = route.resource.split(/[^A-Za-z0-9]+/).filter((word) => word && word !== 'v1');
  return [route.method.toLowerCase(), ...words.map((word) => word[0]!.toUpperCase() + word.slice(1))].join('');
}

function sortedKeys(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}
