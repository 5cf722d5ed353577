/** docs/callers/http-api.md lists every route of the route table, and no route the table does not have. */
import { apiRoutes } from '../../shared/api/routes';
import { read } from './doc-links';

/** `METHOD /path` for each path in the page's route table (a row may list several paths of one method). */
function documentedRoutes(): string[] {
  return read('docs/callers/http-api.md')
    .split('\n')
    .filter((line) => /^\| `(GET|PUT|POST|DELETE|PATCH)` \|/.test(line))
    .flatMap((line) => {
      const [, method, paths] = line.split('|').map((cell) => cell.trim());
      return [...paths!.matchAll(/`([^`]+)`/g)].map((match) => `${method!.replace(/`/g, '')} ${match[1]}`);
    });
}

test('every route has a row in the HTTP API page, and every row is a route', () => {
  const routes = apiRoutes.map((route) => `${route.method} ${route.resource}`).sort();
  expect([...documentedRoutes()].sort()).toEqual(routes);
});
