/**
 * Whether a request presents a key that matches a caller, asked by the local server before it
 * reads a body (README "What the gate answers"): the same lookup the function makes (shared/api/http-router.ts),
 * against the same runtime, so an unknown key costs no upload. The function still decides.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { findCaller, presentedKey } from '../shared/callers';
import type { Runtime } from '../shared/runtime';

export type KnownKeyCheck = (event: APIGatewayProxyEvent) => Promise<boolean>;

/** `runtime`: the function's own (defaultRuntime), so the callers secret is read once for both. */
export function knownKeyCheck(runtime: () => Runtime): KnownKeyCheck {
  return async (event) => {
    const headers: Record<string, string | undefined> = Object.create(null);
    for (const name in event.headers) headers[name.toLowerCase()] = event.headers[name];
    const key = presentedKey(headers, event.queryStringParameters ?? {});
    if (!key) return false;
    try {
      return findCaller(await runtime().callers(), key) !== undefined;
    } catch {
      return false; // a broken config or callers secret: the function answers that, with no body needed
    }
  };
}
