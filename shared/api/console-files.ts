/**
 * The console's page, script and styles (docs/on-call/console.md) are files, not bundled code,
 * like openapi.json (openapi-file.ts): the deployed function finds them beside its bundle
 * (LAMBDA_TASK_ROOT, copied there at synth), the local server and the tests in the repository's
 * console/ folder. Each is read on its first request and kept, so a cold start pays nothing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { APIGatewayProxyResult } from 'aws-lambda';

/** The files, by the name they have in console/ and beside the bundle. */
export const consoleFiles = {
  page: { name: 'console.html', contentType: 'text/html; charset=utf-8' },
  script: { name: 'console.js', contentType: 'text/javascript; charset=utf-8' },
  styles: { name: 'console.css', contentType: 'text/css; charset=utf-8' },
  /** Without one, the browser asks for /favicon.ico and logs the 404 as an error. */
  icon: { name: 'console.svg', contentType: 'image/svg+xml' },
} as const;

export type ConsoleFile = (typeof consoleFiles)[keyof typeof consoleFiles];

/** Where they live in the repository, from the project root (infra copies them beside the HTTP bundle). */
export const consoleFolder = 'console';

/**
 * Same origin only, no inline script or style, no plugins, no framing, no <base> rewriting, no
 * form posting elsewhere: the page is a few static files that call this API.
 */
export const consoleContentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export function consoleFilePath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.LAMBDA_TASK_ROOT ?? path.join(__dirname, '..', '..', consoleFolder), name);
}

function consoleHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Cache-Control': 'no-store',
    'Content-Security-Policy': consoleContentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
}

const served = new Map<string, Promise<string>>();

/** The file's answer. A failed read is not kept, so the next request tries again. */
export async function consoleFileResponse(file: ConsoleFile): Promise<APIGatewayProxyResult> {
  let text = served.get(file.name);
  if (!text) {
    text = readFile(consoleFilePath(file.name), 'utf8');
    served.set(file.name, text);
    text.catch(() => served.delete(file.name));
  }
  return { statusCode: 200, headers: consoleHeaders(file.contentType), body: await text };
}

/** `/console/` (a trailing slash) would resolve the page's relative links one folder too deep: send it to `../console`. */
export function consoleRedirect(): APIGatewayProxyResult {
  return { statusCode: 308, headers: { Location: '../console', 'Cache-Control': 'no-store' }, body: '' };
}
