/**
 * The callerId a request names (docs/operators/holds.md): `?callerId=` or `X-Caller-Id`. One value per
 * request: a caller that sends two different ids (two query values, two header lines or a
 * comma-joined header, or query and header) has a bug, and guessing which one it meant could hold
 * an agent for the wrong call.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '../zod-locale';
import { RequestError } from '../errors';
import { callerIdPattern, callerIdProblem, callerIdRule } from '../gate';
import { normalizeCallerId } from '../geo';
import { type RequestValueSource, oneRequestValue, requestValues } from './request-values';

/**
 * An E.164 number sent unencoded (`?callerId=+1555...`) arrives with its `+` decoded to a space,
 * as API Gateway decodes query strings; a space is never valid, so a leading one before digits is the `+`.
 */
export function restoreUnencodedPlus(value: string): string {
  return value.replace(/^ (?=\d{1,63}$)/, '+');
}

/** The query or path parameter; its message is the one every entry point gives. */
export const callerIdSchema = z
  .string()
  .check(z.overwrite(restoreUnencodedPlus))
  .check(z.regex(callerIdPattern, callerIdRule))
  .check(z.describe('the call the hold is for, typically the caller number in E.164; 1 to 64 characters of 0-9 A-Z a-z + . _ : @ -'));

/**
 * Values are compared as the one number they name: `+1` and ten digits, `1` and ten digits, and
 * ten digits are one North American number (docs/operators/limits.md, "callerId forms"), so the
 * same call sent in two forms is not two values.
 */
const callerIdSource: RequestValueSource = { query: 'callerId', header: 'x-caller-id', normalize: (value) => normalizeCallerId(restoreUnencodedPlus(value)) };

/**
 * The request's callerId (a North American number in E.164), or undefined. Call it after the route's query schema has accepted the
 * query's callerId: query values are then known well formed when they all agree.
 */
export function requestCallerId(
  event: Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters' | 'headers' | 'multiValueHeaders'>,
): string | undefined {
  const { query, header } = requestValues(event, callerIdSource);
  const fromQuery = oneRequestValue({ query, header: [] }, 'callerId');
  const fromHeader = oneRequestValue({ query: [], header }, 'X-Caller-Id');
  if (fromHeader === undefined) return fromQuery;
  const problem = callerIdProblem(fromHeader);
  if (problem) throw new RequestError('invalid_request', `X-Caller-Id: ${problem}`);
  if (fromQuery !== undefined && fromQuery !== fromHeader)
    throw new RequestError('invalid_request', 'callerId and X-Caller-Id differ; send one, or the same value in both');
  return fromHeader;
}
