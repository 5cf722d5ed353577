/**
 * Where a call comes from (docs/operators/limits.md, "Geography"): North American callerIds in
 * one form, and the US state, DC or PR of their area code from the generated table.
 */
import { areaCodeStates } from './area-code-states';
import { type UsState, isUsState } from './us-states';

const nanpForms = /^(?:\+1|1)?(\d{10})$/;

/**
 * `+1` and ten digits, `1` and ten digits, and ten digits are one North American number: its
 * E.164 form (`+1` and ten digits). Any other callerId is returned as it is.
 */
export function normalizeCallerId(callerId: string): string {
  const digits = nanpForms.exec(callerId)?.[1];
  return digits === undefined ? callerId : `+1${digits}`;
}

/** The state of a North American callerId's area code; undefined when it cannot be told. */
export function stateOfCallerId(callerId: string): UsState | undefined {
  const digits = nanpForms.exec(callerId)?.[1];
  return digits === undefined ? undefined : areaCodeStates[digits.slice(0, 3)];
}

/** A USPS code in any case -> upper case; undefined when it names no state, DC or PR. */
export function parseUsState(value: string): UsState | undefined {
  const upper = value.toUpperCase();
  return isUsState(upper) ? upper : undefined;
}
