/**
 * Wall-clock time in an IANA zone <-> UTC, on Node's built-in Intl (full ICU): no time-zone
 * library, no bytes added to a bundle. Pure apart from caches.
 */

export const minuteMs = 60_000;
export const dayMs = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();

/** Constructing a DateTimeFormat costs tens of microseconds: one per zone, kept. */
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

// `format` is about 4x faster than `formatToParts`; en-US with h23 prints "3/14/2027, 07:00:00".
const printed = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/;

/** The zone's UTC offset at an instant, in ms (local = utc + offset). */
export function offsetAt(timeZone: string, epochMs: number): number {
  const match = printed.exec(formatFor(timeZone).format(epochMs));
  if (!match) throw new RangeError(`cannot read the local time in ${timeZone}`);
  const [, month, day, year, hour, minute, second] = match.map(Number) as number[];
  const local = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  return local - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/** The local date at an instant, as days since 1970-01-01 (so weekday and date key follow). */
export function localDayNumber(timeZone: string, epochMs: number): number {
  return Math.floor((epochMs + offsetAt(timeZone, epochMs)) / dayMs);
}

const conversions = new Map<string, Map<number, number>>();
const maxConversionsPerZone = 10_000;

/**
 * The instant of a local wall-clock time (`localMs`: the local time written as if it were UTC).
 * A time that occurs twice (clocks go back) means its first occurrence; a time that does not
 * exist (clocks jump forward) means the first instant after the jump (docs/operators/hours-and-overrides.md).
 */
export function localToUtc(timeZone: string, localMs: number): number {
  let zone = conversions.get(timeZone);
  if (!zone) conversions.set(timeZone, (zone = new Map()));
  const cached = zone.get(localMs);
  if (cached !== undefined) return cached;
  const instant = convert(timeZone, localMs);
  // Evaluations each minute ask for the same few days again: a bounded memo, dropped when full.
  if (zone.size >= maxConversionsPerZone) zone.clear();
  zone.set(localMs, instant);
  return instant;
}

function convert(timeZone: string, localMs: number): number {
  // Zones change offset at most a few times a year, so a day either side brackets any change.
  const before = offsetAt(timeZone, localMs - dayMs);
  const after = offsetAt(timeZone, localMs + dayMs);
  const early = localMs - before;
  if (before === after) return early;
  const late = localMs - after;
  const earlyValid = offsetAt(timeZone, early) === before;
  const lateValid = offsetAt(timeZone, late) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  return transitionBetween(timeZone, Math.min(early, late), Math.max(early, late), before);
}

/**
 * In a spring-forward gap neither offset fits: the answer is the instant of the jump, found by
 * bisection between the two candidates. Changes fall on whole minutes in every zone since 1970.
 */
function transitionBetween(timeZone: string, low: number, high: number, offsetBefore: number): number {
  let lowMinute = Math.floor(low / minuteMs);
  let highMinute = Math.ceil(high / minuteMs);
  while (highMinute - lowMinute > 1) {
    const middle = Math.floor((lowMinute + highMinute) / 2);
    if (offsetAt(timeZone, middle * minuteMs) === offsetBefore) lowMinute = middle;
    else highMinute = middle;
  }
  return highMinute * minuteMs;
}
