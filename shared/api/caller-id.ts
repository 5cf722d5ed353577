/**
 * The callerId a request names (gate-contract.md section 7): `?callerId=` or `X-Caller-Id`.
 * When both are given they must agree: a caller that sends two different ids has a bug, and
 * guessing which one it meant could hold an agent for the wrong call.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { RequestError } from '../errors';
import { callerIdPattern, callerIdProblem, callerIdRule } from '../gate';

/** The query or path parameter; its message is the one every entry point gives. */
export const callerIdSchema = z
  .string()
  // An E.164 number sent unencoded (`?callerId=+1555...`) arrives with its `+` decoded to a space,
  // as API Gateway decodes query strings; a space is never valid, so a leading one before digits is the `+`.
  .check(z.overwrite((value) => value.replace(/^ (?=\d{1,63}$)/, '+')))
  .check(z.regex(callerIdPattern, callerIdRule))
  .check(z.describe('the call the hold is for, typically the caller number in E.164; 1 to 64 characters of 0-9 A-Z a-z + . _ : @ -'));

/** The request's callerId (the query's, already validated by the route's schema), or undefined. */
export function requestCallerId(fromQuery: string | undefined, headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const fromHeader = headers['x-caller-id'];
  if (fromHeader === undefined) return fromQuery;
  const problem = callerIdProblem(fromHeader);
  if (problem) throw new RequestError('invalid_request', `X-Caller-Id: ${problem}`);
  if (fromQuery !== undefined && fromQuery !== fromHeader) throw new RequestError('invalid_request', 'callerId and X-Caller-Id differ; send one, or the same value in both');
  return fromHeader;
}
