/**
 * GET /v1/openapi.json serves the committed openapi.json as a file, not bundled code: the deployed
 * function finds it beside its bundle (LAMBDA_TASK_ROOT, copied there at synth like
 * gate.config.json), the local server and the tests in the repository. It is read on the first
 * request for it and kept, so a cold start does not pay for a 15 KiB document nobody asked for.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { jsonResponse } from './responses';

export const openapiFileName = 'openapi.json';

/** Beside the bundle in Lambda; else the repository's copy (this file is shared/api/openapi-file.ts). */
export function openapiFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.LAMBDA_TASK_ROOT ?? path.join(__dirname, '..', '..'), openapiFileName);
}

let served: Promise<APIGatewayProxyResult> | undefined;

/**
 * The answer: the document re-serialised by JSON.stringify, byte for byte what the bundled import
 * answered. A failed read is not kept, so the next request tries again.
 */
export async function openapiResponse(): Promise<APIGatewayProxyResult> {
  if (!served) {
    served = readFile(openapiFilePath(), 'utf8').then((text) => jsonResponse(200, JSON.parse(text)));
    served.catch(() => (served = undefined));
  }
  const response = await served;
  return { ...response, headers: { ...response.headers } };
}
