/**
 * GET /console and its script and styles (docs/on-call/console.md): public (the page holds no
 * data; every call it makes sends the admin key typed into it), no vendor call, and not part of
 * openapi.json (a page for people, not an API).
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { type ConsoleFile, consoleFileResponse, consoleFiles, consoleRedirect } from './console-files';
import { type ApiRoute, defineRoute } from './route';

const noInput = { path: z.object({}), query: z.object({}) };

function consoleRoute(resource: string, file: ConsoleFile, summary: string): ApiRoute {
  return defineRoute({
    method: 'GET',
    resource,
    summary,
    auth: 'public',
    openapi: false,
    input: noInput,
    answers: { 200: { description: summary } },
    handle: async ({ event }) => (file === consoleFiles.page && event.path.endsWith('/') ? consoleRedirect() : consoleFileResponse(file)),
  });
}

export const consolePageRoute = consoleRoute('/console', consoleFiles.page, "The operators' console (a page for people)");
export const consoleScriptRoute = consoleRoute('/console/app.js', consoleFiles.script, "The console's script");
export const consoleStylesRoute = consoleRoute('/console/app.css', consoleFiles.styles, "The console's styles");
export const consoleIconRoute = consoleRoute('/console/icon.svg', consoleFiles.icon, "The console's icon");
