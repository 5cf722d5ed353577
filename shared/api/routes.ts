/**
 * The API's one route table: the HTTP handler dispatches on it (http-router.ts), the CDK API
 * builds its resources and methods from it, the local server matches requests against it, and
 * openapi.json is generated from it. Adding a route is one entry here.
 */
import { availabilityRoute } from './availability-api';
import { releaseHoldRoute } from './holds-api';
import { healthRoute, openapiRoute } from './public-routes';
import { deleteOverrideRoute, getOverrideRoute, putOverrideRoute } from './override-api';
import type { ApiRoute } from './route';

export const apiRoutes: readonly ApiRoute[] = [healthRoute, availabilityRoute, openapiRoute,
  // Section 7: holds.
  releaseHoldRoute,
  // Section 8: overrides.
  putOverrideRoute, getOverrideRoute, deleteOverrideRoute];

export interface RouteMatch {
  route: ApiRoute;
  pathParameters: Record<string, string>;
}

/** The route for a method and request path (`{name}` segments captured and %-decoded), if any. */
export function matchPath(method: string, path: string, routes: readonly ApiRoute[] = apiRoutes): RouteMatch | undefined {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const route of routes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = route.resource.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const match = new RegExp(`^${pattern}$`).exec(trimmed);
    if (match) return { route, pathParameters: Object.fromEntries(names.map((name, index) => [name, safeDecode(match[index + 1]!)])) };
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
