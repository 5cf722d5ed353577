/**
 * GET /v1/queues/{id}/availability and GET /v1/health (gate-contract.md section 3), from an
 * API Gateway REST proxy event to a proxy result. Throws RequestErrors; the edge shapes them.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { findCaller, mayAccess, presentedKey } from '../callers';
import { queueIdPattern } from '../config/fields';
import { RequestError } from '../errors';
import type { Decision } from '../gate';
import { logger } from '../logger';
import type { Runtime } from '../runtime';
import { jsonResponse, textResponse } from './responses';

const availabilityPath = /^\/v1\/queues\/([^/]+)\/availability\/?$/;

const availabilityInputSchema = z.object({
  id: z.string().regex(queueIdPattern, 'queue id must match ^[a-z0-9][a-z0-9_-]{0,63}$'),
  format: z.enum(['json', 'text', 'count'], 'format must be one of json, text, count').optional(),
});
type Format = 'json' | 'text' | 'count';

export async function handleHttpRequest(runtime: Runtime, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const route = routeOf(event);
  if (route === 'health') return jsonResponse(200, { status: 'ok' });
  if (route === undefined) throw new RequestError('not_found', 'no such route; try GET /v1/queues/{id}/availability');

  const headers = lowerCaseHeaders(event.headers);
  const query = event.queryStringParameters ?? {};
  const caller = await authenticate(runtime, headers, query);
  logger.appendKeys({ caller: caller.name });

  const input = availabilityInputSchema.safeParse({ id: queueIdOf(event), format: query.format });
  if (!input.success) throw new RequestError('invalid_request', input.error.issues.map((issue) => issue.message).join('; '));
  const queueId = input.data.id;
  logger.appendKeys({ queue: queueId });

  const queue = runtime.config.queues.get(queueId);
  // Unknown and not-allowed queues look the same, so a caller cannot discover other queues.
  if (!queue || !mayAccess(caller, queueId)) throw new RequestError('queue_not_found', `no queue "${queueId}" for this caller`);

  const decision = await runtime.gate.check(queue);
  const format = input.data.format ?? formatFromAccept(headers['accept']);
  logger.info('availability', { canTransfer: decision.canTransfer, reason: decision.reason, source: decision.source, vendorError: decision.vendorError, format });
  return formatDecision(decision, format);
}

async function authenticate(runtime: Runtime, headers: Record<string, string | undefined>, query: Record<string, string | undefined>) {
  const key = presentedKey(headers, query);
  if (!key) throw new RequestError('unauthorized', 'present a key: x-api-key, Authorization Bearer or Basic, or ?api_key=');
  const caller = findCaller(await runtime.callers(), key);
  if (!caller) throw new RequestError('unauthorized', 'the key matches no caller');
  return caller;
}

export function formatDecision(decision: Decision, format: Format): APIGatewayProxyResult {
  if (format === 'text') return textResponse(200, String(decision.canTransfer));
  if (format === 'count') return textResponse(200, String(transferCount(decision)));
  return jsonResponse(200, decision);
}

/** How many transfers the gate would accept now; one at a time when the vendor is unreadable and the policy allows. */
export function transferCount(decision: Decision): number {
  return decision.canTransfer ? (decision.availableAgents ?? 1) : 0;
}

function routeOf(event: APIGatewayProxyEvent): 'health' | 'availability' | undefined {
  if (event.httpMethod !== 'GET') return undefined;
  if (event.resource === '/v1/health' || event.path === '/v1/health') return 'health';
  if (event.resource === '/v1/queues/{id}/availability' || availabilityPath.test(event.path)) return 'availability';
  return undefined;
}

function queueIdOf(event: APIGatewayProxyEvent): string {
  if (event.pathParameters?.id !== undefined) return event.pathParameters.id;
  const segment = availabilityPath.exec(event.path)?.[1] ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a malformed %-escape: fails the id pattern (400), not a URIError (500)
  }
}

/** `Accept: text/plain` picks text when no format is given (and JSON is not also asked for). */
function formatFromAccept(accept: string | undefined): Format {
  if (!accept) return 'json';
  const types = accept.toLowerCase().split(',').map((part) => part.split(';')[0]!.trim());
  return types.includes('text/plain') && !types.includes('application/json') ? 'text' : 'json';
}

function lowerCaseHeaders(headers: APIGatewayProxyEvent['headers'] | null): Record<string, string | undefined> {
  const lower: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) lower[name.toLowerCase()] = value;
  return lower;
}
