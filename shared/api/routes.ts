/**
 * The API's one route table: the HTTP handler dispatches on it (http-router.ts), the CDK API
 * builds its resources and methods from it, the local server matches requests against it, and
 * openapi.json is generated from it. Adding a route is one entry here.
 */
import { availabilityRoute } from './availability-api';
import { consoleIconRoute, consolePageRoute, consoleScriptRoute, consoleStylesRoute } from './console-routes';
import { releaseHoldRoute } from './holds-api';
import { releaseRouteHoldRoute, routeAvailabilityRoute } from './route-api';
import { healthRoute, openapiRoute } from './public-routes';
import { deleteOverrideRoute, getOverrideRoute, putOverrideRoute } from './override-api';
import { statusRoute } from './status-api';
import type { ApiRoute } from './route';

export const apiRoutes: readonly ApiRoute[] = [
  healthRoute,
  availabilityRoute,
  openapiRoute,
  // docs/operators/holds.md: holds.
  releaseHoldRoute,
  // Routes over several queues (docs/callers/routes-and-destinations.md).
  routeAvailabilityRoute,
  releaseRouteHoldRoute,
  // docs/operators/hours-and-overrides.md: overrides.
  putOverrideRoute,
  getOverrideRoute,
  deleteOverrideRoute,
  // Operators: the status and the console (docs/on-call/console.md).
  statusRoute,
  consolePageRoute,
  consoleScriptRoute,
  consoleStylesRoute,
  consoleIconRoute,
];

export interface RouteMatch {
  route: ApiRoute;
  pathParameters: Record<string, string>;
}

/** A route's resource template as a RegExp, with the names of its `{name}` segments in order. */
interface CompiledResource {
  pattern: RegExp;
  names: string[];
}

/** Compiled once per route (not per request): the table is fixed for the life of the process. */
const compiled = new WeakMap<ApiRoute, CompiledResource>();

function compiledResource(route: ApiRoute): CompiledResource {
  let entry = compiled.get(route);
  if (!entry) {
    const names: string[] = [];
    const source = route.resource.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    entry = { pattern: new RegExp(`^${source}$`), names };
    compiled.set(route, entry);
  }
  return entry;
}

/** The route for a method and request path (`{name}` segments captured and %-decoded), if any. */
export function matchPath(method: string, path: string, routes: readonly ApiRoute[] = apiRoutes): RouteMatch | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.replace(/\/+$/, '') : path;
  for (const route of routes) {
    if (route.method !== method) continue;
    const { pattern, names } = compiledResource(route);
    const match = pattern.exec(trimmed);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    for (let index = 0; index < names.length; index += 1) pathParameters[names[index]!] = safeDecode(match[index + 1]!);
    return { route, pathParameters };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a malformed %-escape fails the route's input schema (400), not a URIError (500)
  }
}
