/** The routes that need no key and call no vendor (docs/callers/http-api.md). */
import * as z from 'zod/mini';
import '../zod-locale';
import { healthAnswerSchema } from './answer-schemas';
import { openapiResponse } from './openapi-file';
import { defineRoute } from './route';
import { jsonResponse } from './responses';

const noInput = { path: z.object({}), query: z.object({}) };

export const healthRoute = defineRoute({
  method: 'GET',
  resource: '/v1/health',
  summary: 'Liveness: answers without a key and without a vendor call',
  auth: 'public',
  input: noInput,
  answers: { 200: { description: 'The gate is up', json: healthAnswerSchema } },
  handle: async () => jsonResponse(200, { status: 'ok' }),
});

export const openapiRoute = defineRoute({
  method: 'GET',
  resource: '/v1/openapi.json',
  summary: 'This API described as OpenAPI 3.1',
  auth: 'public',
  input: noInput,
  // Described as an object only: the document does not describe itself.
  answers: { 200: { description: 'The OpenAPI 3.1 document (also openapi.json in the repository)', json: z.looseObject({ openapi: z.string() }) } },
  // The committed file, generated at build time and read when asked for (openapi-file.ts): neither
  // zod's JSON Schema generator nor the document itself is in the bundle.
  handle: () => openapiResponse(),
});
