/**
 * Retry-After (RFC 9110 section 10.2.3): delta-seconds or an HTTP-date, nothing else. A lenient
 * parse (Date.parse) reads "foo 2030" as a date years away; here anything outside the grammar
 * is no hint, and no hint asks for more than the 5 minutes the gate would ever block.
 */

/** The longest wait a hint may ask for (docs/operators/shared-state.md: a block lasts at most 5 minutes). */
export const maxRetryAfterMs = 5 * 60_000;

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const month = `(${months.join('|')})`;
const time = '(\\d{2}):(\\d{2}):(\\d{2})';
// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
const imfFixdate = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${month} (\\d{4}) ${time} GMT$`);
// Obsolete RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
const rfc850 = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${month}-(\\d{2}) ${time} GMT$`);
// Obsolete asctime: "Sun Nov  6 08:49:37 1994" (day padded with a space)
const asctime = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${month} ([ \\d]\\d) ${time} (\\d{4})$`);

/** How long to wait, in ms (0 for a date already past), or undefined when the value is not RFC 9110. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  // delta-seconds = 1*DIGIT; a long digit run is still a (huge) wait, capped below.
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, maxRetryAfterMs);
  const date = parseHttpDate(trimmed, nowMs);
  return date === undefined ? undefined : Math.min(Math.max(0, date - nowMs), maxRetryAfterMs);
}

/** Epoch ms of an RFC 9110 HTTP-date (all three forms recipients must accept), else undefined. */
export function parseHttpDate(value: string, nowMs: number): number | undefined {
  let match = imfFixdate.exec(value);
  if (match) return utc(Number(match[3]), match[2]!, Number(match[1]), match.slice(4, 7));
  match = rfc850.exec(value);
  if (match) return utc(fullYear(Number(match[3]), nowMs), match[2]!, Number(match[1]), match.slice(4, 7));
  match = asctime.exec(value);
  if (match) return utc(Number(match[6]), match[1]!, Number(match[2]!.trim()), match.slice(3, 6));
  return undefined;
}

/** RFC 9110 5.6.7: a two-digit year more than 50 years in the future is in the past century. */
function fullYear(twoDigits: number, nowMs: number): number {
  const year = 2000 + twoDigits;
  return year > new Date(nowMs).getUTCFullYear() + 50 ? year - 100 : year;
}

/** Rejects impossible fields (31 Feb, 25:00) instead of letting Date roll them over. */
function utc(year: number, monthName: string, day: number, [hours, minutes, seconds]: string[]): number | undefined {
  const monthIndex = months.indexOf(monthName);
  const [h, m, s] = [Number(hours), Number(minutes), Number(seconds)];
  if (h > 23 || m > 59 || s > 60) return undefined;
  const ms = Date.UTC(year, monthIndex, day, h, m, Math.min(s, 59));
  const date = new Date(ms);
  return date.getUTCDate() === day && date.getUTCMonth() === monthIndex ? ms : undefined;
}
