/**
 * GET /v1/status (docs/on-call/console.md): every queue an admin may see, from the state store
 * only, never a vendor call. Callers that are not admins get 403 forbidden, like the override
 * routes (docs/operators/hours-and-overrides.md#emergency-overrides).
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { RequestError } from '../errors';
import { errorAnswerSchema } from './answer-schemas';
import { jsonResponse } from './responses';
import { defineRoute } from './route';
import { buildStatus } from './status-report';
import { statusAnswerSchema } from './status-schema';

export const statusRoute = defineRoute({
  method: 'GET',
  resource: '/v1/status',
  summary: 'Every queue this admin may see, from the shared state only: hours, override, last reading, last failure, holds; and per seller (admin callers)',
  auth: 'caller',
  input: { path: z.object({}), query: z.object({}) },
  answers: {
    200: { description: 'The status now; no vendor was called', json: statusAnswerSchema },
    403: { description: 'forbidden: the caller is not an admin', json: errorAnswerSchema },
  },
  async handle({ runtime, caller }) {
    if (!caller.admin) throw new RequestError('forbidden', 'the status needs a caller whose entry in the callers secret has "admin": true');
    return jsonResponse(200, await buildStatus(runtime, caller));
  },
});
