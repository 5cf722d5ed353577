/**
 * The `schedules` config block and the `schedule` field (docs/operators/hours-and-overrides.md): zod, so that
 * every problem is reported with its JSON path and the published JSON Schema carries the patterns.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { gateOnly, scheduleName, scheduleNamePattern } from '../config/fields';
import { dayKeys, intervalMinutes, type DayKey } from './hours';
import { timeZoneName } from './time-zone-name';

export { dayKeys, type DayKey } from './hours';
export { isKnownTimeZone, timeZoneName, timeZoneProblem } from './time-zone-name';

const startPattern = /^([01]\d|2[0-3]):[0-5]\d$/;
const endPattern = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

const startTime = z.string().check(z.regex(startPattern, 'must be a start time HH:MM from 00:00 to 23:59 (24:00 may only end an interval)'));
const endTime = z.string().check(z.regex(endPattern, 'must be an end time HH:MM from 00:00 to 24:00'));

export const intervalSchema = z.tuple([startTime, endTime], {
  error: 'must be a pair ["HH:MM", "HH:MM"] (start, end)',
});

/**
 * Overlapping intervals within one day are refused, not merged: in a config file they are almost
 * always a typo (a swapped or mistyped time), and merging would silently open the queue for hours
 * nobody meant. Intervals that touch (12:00-13:00, 13:00-17:00) are fine and join.
 */
function refuseOverlaps(intervals: ReadonlyArray<readonly [string, string]>, ctx: z.core.$RefinementCtx<unknown>): void {
  // A malformed interval is already reported; comparing it would only add noise.
  if (!intervals.every((pair) => Array.isArray(pair) && startPattern.test(pair[0]) && endPattern.test(pair[1]))) return;
  const spans = intervals.map((interval, index) => ({ index, ...intervalMinutes(interval) }));
  spans.sort((a, b) => a.start - b.start);
  // Compared with the interval reaching furthest so far, so 09-17 catches 10-11 and 12-13 alike.
  let reach = spans[0];
  for (const current of spans.slice(1)) {
    if (!reach || current.start >= reach.end) {
      reach = current;
      continue;
    }
    const [first, second] = reach.index < current.index ? [reach, current] : [current, reach];
    const text = (index: number) => intervals[index]!.join('-');
    ctx.addIssue({
      code: 'custom',
      path: [second.index],
      message: `overlaps interval [${first.index}] (${text(first.index)} and ${text(second.index)}); write them as one interval`,
    });
    if (current.end > reach.end) reach = current;
  }
}

export const dayHoursSchema = gateOnly(z.array(intervalSchema).check(z.superRefine(refuseOverlaps)), 'JSON Schema cannot compare the times of two intervals');

const dayList = dayKeys.join(', ');
// Described on the optional wrapper: the gateOnly schema itself must stay the instance it marks.
const day = z
  .optional(dayHoursSchema)
  .check(
    z.describe(
      'Open hours that day, local time: ["HH:MM", "HH:MM"] pairs, start included, end excluded; an end not after its start runs past midnight. Absent: closed.',
    ),
  );
export const weeklySchema = z
  .strictObject({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day } satisfies Record<DayKey, typeof day>, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown day ${issue.keys.map((key) => `"${key}"`).join(', ')} (days are ${dayList})` : undefined),
  })
  .check(z.describe(`Open hours per day of the week (${dayList}); a day not listed is closed.`));

function isRealDate(key: string): boolean {
  const [year, month, day] = key.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const dateKey = gateOnly(
  z
    .string()
    .check(z.regex(datePattern, 'must be a date YYYY-MM-DD'))
    .check(z.refine((key) => !datePattern.test(key) || isRealDate(key), 'is not a real date')),
  'calendar rules (month lengths, leap years) are beyond a pattern; the published schema carries YYYY-MM-DD',
);

export const datesSchema = z
  .record(dateKey, dayHoursSchema, {
    error: (issue) => {
      if (issue.code !== 'invalid_key') return undefined;
      const inner = issue.issues[0]?.message ?? 'must be a date YYYY-MM-DD';
      return `date key ${inner}`;
    },
  })
  .check(z.describe('Hours of one local date (YYYY-MM-DD key) that replace its weekly hours: [] closes the whole date, a shorter list makes a half day.'));

export const scheduleSchema = z.strictObject({
  /** IANA name, e.g. "America/New_York"; times are wall-clock times there. */
  timeZone: timeZoneName,
  /** Open hours per day of the week; a day not listed is closed. */
  weekly: z.optional(weeklySchema),
  /** Hours for one local date (YYYY-MM-DD) that replace the weekly hours; [] closes the whole date. */
  dates: z.optional(datesSchema),
});
export type Schedule = z.output<typeof scheduleSchema>;

export { scheduleName, scheduleNamePattern };

export const schedulesSchema = z
  .record(scheduleName, scheduleSchema, {
    error: (issue) => (issue.code === 'invalid_key' ? 'schedule name must match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' : undefined),
  })
  .check(z.describe('Named hours of operation, picked by "schedule" in defaults or in a queue.'));
export type Schedules = z.output<typeof schedulesSchema>;

export interface ScheduleReferenceIssue {
  code: 'custom';
  path: PropertyKey[];
  message: string;
}

/**
 * A `schedule` named by `defaults` or a queue must exist in `schedules`. Checked on the raw
 * config input (like duplicate queue ids), so it is reported together with every other problem.
 */
export function scheduleReferenceIssues(config: unknown): ScheduleReferenceIssue[] {
  if (!isRecord(config)) return [];
  const schedules = config.schedules;
  // A `schedules` that is not an object is reported by the schema itself.
  if (schedules !== undefined && !isRecord(schedules)) return [];
  const names = Object.keys(schedules ?? {});
  const issues: ScheduleReferenceIssue[] = [];
  const check = (holder: unknown, path: PropertyKey[]) => {
    const name = isRecord(holder) ? holder.schedule : undefined;
    if (typeof name !== 'string' || Object.hasOwn(schedules ?? {}, name)) return;
    const known = names.length ? `known: ${names.map((known) => `"${known}"`).join(', ')}` : 'no schedules are defined';
    issues.push({ code: 'custom', path: [...path, 'schedule'], message: `unknown schedule "${name}" (${known})` });
  };
  check(config.defaults, ['defaults']);
  if (Array.isArray(config.queues)) config.queues.forEach((queue, index) => check(queue, ['queues', index]));
  return issues;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
