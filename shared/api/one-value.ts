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

function valuesOf(map: Record<string, string[] | undefined> | null, single: Record<string, string | undefined> | null, name: string, caseless: boolean): string[] {
  const found: string[] = [];
  for (const key in map ?? {}) if (key === name || (caseless && key.toLowerCase() === name)) found.push(...(map?.[key] ?? []));
  if (found.length) return found;
  for (const key in single ?? {}) {
    const value = single?.[key];
    if (value !== undefined && (key === name || (caseless && key.toLowerCase() === name))) found.push(value);
  }
  return found;
}

/** The one value sent, or undefined when none was; 400 when two differ. `normalize` makes equal values equal (case). */
export function oneValue(event: APIGatewayProxyEvent, source: OneValueSource, normalize: (value: string) => string = (value) => value): string | undefined {
  const values = [
    ...valuesOf(event.multiValueQueryStringParameters, event.queryStringParameters, source.query, false),
    ...valuesOf(event.multiValueHeaders, event.headers, source.header, true),
  ];
  const distinct = new Set(values.map(normalize));
  if (distinct.size > 1) throw new RequestError('invalid_request', `${source.query} was sent more than once with different values; send one (query ${source.query} or header ${source.header})`);
  return values[0];
}
