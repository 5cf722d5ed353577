/**
 * One value per request (docs/operators/limits.md, "Geography"): a parameter that may come as a
 * query parameter or a header must not come twice with different values (two query values, two
 * headers, or query and header). Written for any such parameter (`state` today; `callerId` can
 * use it too), from the event's multi-value maps, which hold every value sent.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { RequestError } from '../errors';

export interface OneValueSource {
  query: string;
  /** Lower case. */
  header: string;
}

/** Every value of a header, from the multi-value map (names as sent, in any case). */
function headerValues(event: APIGatewayProxyEvent, name: string, single: string): string[] {
  const found: string[] = [];
  for (const key in event.multiValueHeaders ?? {}) if (key.toLowerCase() === name) found.push(...(event.multiValueHeaders?.[key] ?? []));
  return found.length ? found : [single];
}

/**
 * The one value sent, or undefined when none was; 400 when two differ. `normalize` makes equal
 * values equal (case). `headers` are the request's, lower-cased: a request without the parameter
 * (most) costs two lookups.
 */
export function oneValue(
  event: APIGatewayProxyEvent,
  headers: Readonly<Record<string, string | undefined>>,
  source: OneValueSource,
  normalize: (value: string) => string = (value) => value,
): string | undefined {
  const query = event.queryStringParameters?.[source.query];
  const header = headers[source.header];
  if (query === undefined && header === undefined) return undefined;
  const values = [
    ...(query === undefined ? [] : (event.multiValueQueryStringParameters?.[source.query] ?? [query])),
    ...(header === undefined ? [] : headerValues(event, source.header, header)),
  ];
  const distinct = new Set(values.map(normalize));
  if (distinct.size > 1)
    throw new RequestError(
      'invalid_request',
      `${source.query} was sent more than once with different values; send one (query ${source.query} or header ${source.header})`,
    );
  return values[0];
}
