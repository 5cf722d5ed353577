/** openapi.json (docs/callers/http-api.md): committed, up to date, a valid OpenAPI 3.1 document, served without a key. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createHttpHandler } from '../../../functions/http/handler';
import { openapiDocument, openapiText } from '../../../shared/api/openapi-document';
import { defineRoute } from '../../../shared/api/route';
import { apiRoutes } from '../../../shared/api/routes';
import type { Runtime } from '../../../shared/runtime';
import { lambdaContext, proxyEvent } from '../../support/api-gateway-event';
import * as z from 'zod/mini';

const root = path.join(__dirname, '..', '..', '..');
const committed = readFileSync(path.join(root, 'openapi.json'), 'utf8');

/** Lints with @seriousme/openapi-schema-validator (ESM only, so in its own node process). */
function lint(documentText: string): { valid: boolean; errors?: unknown } {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    const chunks = []; for await (const chunk of process.stdin) chunks.push(chunk);
    const result = await new Validator().validate(JSON.parse(Buffer.concat(chunks).toString()));
    process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, input: documentText, encoding: 'utf8' }));
}

describe('openapi.json', () => {
  it('is the one generated from the route table and the answer schemas (run `npm run openapi` after changing them)', () => {
    expect(committed).toBe(openapiText());
  });

  it('is a valid OpenAPI 3.1 document', () => {
    expect(JSON.parse(committed).openapi).toBe('3.1.0');
    expect(lint(committed)).toEqual({ valid: true });
  });

  it('the linter rejects a broken document', () => {
    const broken = { ...JSON.parse(committed), paths: { '/v1/health': { get: { responses: { 200: { content: {} } } } } } };
    expect(lint(JSON.stringify(broken)).valid).toBe(false);
  });

  it('describes every route, with all four key forms on routes that need a key and none on public ones', () => {
    const document = JSON.parse(committed);
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['apiKeyHeader', 'apiKeyQuery', 'basic', 'bearer']);
    expect(document.components.securitySchemes.apiKeyHeader).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(document.components.securitySchemes.apiKeyQuery).toMatchObject({ type: 'apiKey', in: 'query', name: 'api_key' });
    for (const route of apiRoutes.filter((route) => route.openapi !== false)) {
      const operation = document.paths[route.resource][route.method.toLowerCase()];
      expect(operation.security).toHaveLength(route.auth === 'caller' ? 4 : 0);
    }
    expect(document.components.schemas.Availability.properties).toHaveProperty('unroutableReasons');
  });

  it("leaves out the console's page and files (a page for people, not an API) and describes /v1/status", () => {
    const document = JSON.parse(committed);
    expect(apiRoutes.filter((route) => route.openapi === false).map((route) => route.resource)).toEqual([
      '/console',
      '/console/app.js',
      '/console/app.css',
      '/console/icon.svg',
    ]);
    expect(Object.keys(document.paths).filter((resource) => resource.startsWith('/console'))).toEqual([]);
    expect(document.paths['/v1/status'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Status' });
    expect(document.paths['/v1/status'].get.responses).toHaveProperty('403');
  });

  it('picks up a route added to the table', () => {
    const extra = defineRoute({
      method: 'DELETE',
      resource: '/v1/queues/{id}/holds/{callerId}',
      summary: 'release a hold',
      auth: 'caller',
      input: { path: z.object({ id: z.string(), callerId: z.string() }), query: z.object({}) },
      answers: { 204: { description: 'released' } },
      handle: async () => ({ statusCode: 204, body: '' }),
    });
    const document = openapiDocument([...apiRoutes, extra]) as { paths: Record<string, Record<string, { parameters: Array<{ name: string }> }>> };
    expect(document.paths['/v1/queues/{id}/holds/{callerId}']!.delete!.parameters.map((parameter) => parameter.name)).toEqual(['id', 'callerId']);
  });
});

describe('GET /v1/openapi.json', () => {
  it('serves the committed document without a key and without touching callers or vendors', async () => {
    const untouchable = () => {
      throw new Error('must not be used');
    };
    const runtime = {
      get config() {
        return untouchable();
      },
      get gate() {
        return untouchable();
      },
      callers: untouchable,
    } as unknown as Runtime;
    const result = await createHttpHandler(() => runtime)(proxyEvent('/v1/openapi.json', '/v1/openapi.json', null), lambdaContext());
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'Cache-Control': 'no-store' });
    expect(JSON.parse(result.body)).toEqual(JSON.parse(committed));
  });

  it('answers the same bytes every time: the file read once, the answer as the bundled document was (JSON.stringify of it)', async () => {
    const handler = createHttpHandler(() => ({}) as Runtime);
    const answers = await Promise.all([1, 2, 3].map(() => handler(proxyEvent('/v1/openapi.json', '/v1/openapi.json', null), lambdaContext())));
    for (const result of answers) {
      expect(result).toEqual({
        statusCode: 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
        body: JSON.stringify(JSON.parse(committed)),
      });
    }
  });
});
