/**
 * One value per request (docs/operators/holds.md): a parameter that may come as a query value or a
 * header (callerId and X-Caller-Id, and the like) is read from every place API Gateway puts it,
 * repeats included, and two different values are a 400 rather than a silent pick of the last.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { RequestError } from '../errors';

export interface RequestValueSource {
  /** The query parameter's name, as the caller spells it (case matters). */
  query: string;
  /** The header's name (any case). */
  header: string;
  /** Applied to each value before values are compared (e.g. restoring an unencoded `+`). */
  normalize?: (value: string) => string;
}

export interface RequestValues {
  /** Every query value, in order (repeats kept). */
  query: string[];
  /** Every header value, repeated header lines and comma-joined lists split, trimmed. */
  header: string[];
}

/** The parts of an event that carry query and header values. */
export type RequestValueEvent = Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters' | 'headers' | 'multiValueHeaders'>;

/** Every value the event carries for the parameter: the multi-value maps where they have it, else the single ones. */
export function requestValues(event: RequestValueEvent, source: RequestValueSource): RequestValues {
  const normalize = source.normalize ?? ((value: string) => value);
  const query = event.multiValueQueryStringParameters?.[source.query] ?? optional(event.queryStringParameters?.[source.query]);
  // A list header's lines may be joined with commas (RFC 9110 section 5.3): both forms read the same.
  const header = headerLines(event, source.header.toLowerCase()).flatMap((line) => line.split(','));
  return { query: query.map(normalize), header: header.map((value) => normalize(value.trim())) };
}

/**
 * The one value all of `values` agree on, or undefined when there is none. Identical repeats are
 * fine; two different values are a 400 invalid_request naming `label`.
 */
export function oneRequestValue(values: RequestValues, label: string): string | undefined {
  const distinct = new Set([...values.query, ...values.header]);
  if (distinct.size <= 1) return distinct.values().next().value;
  throw new RequestError('invalid_request', `${label} was given ${distinct.size} different values in one request; send one`);
}

function optional(value: string | undefined): string[] {
  return value === undefined ? [] : [value];
}

/** Header maps keep the caller's spelling of a name, so a name may appear in several cases. */
function headerLines(event: RequestValueEvent, lowerName: string): string[] {
  const lines: string[] = [];
  for (const name in event.multiValueHeaders) if (name.toLowerCase() === lowerName) lines.push(...(event.multiValueHeaders[name] ?? []));
  if (lines.length > 0) return lines;
  for (const name in event.headers) if (name.toLowerCase() === lowerName) lines.push(...optional(event.headers[name]));
  return lines;
}
