/**
 * Is a schedule open at an instant, and when does that change (docs/operators/hours-and-overrides.md).
 * Pure: the caller passes the clock.
 */
import { intervalMinutes, type DayKey } from './hours';
import type { Schedule } from './schedule-schema';
import { dayMs, localDayNumber, localToUtc, minuteMs } from './local-time';

export interface ScheduleState {
  open: boolean;
  /** When closed: the next opening within the horizon (epoch ms), else null. Null when open. */
  opensAt: number | null;
  /** When open: the end of the current open period (epoch ms), else null (no end within the horizon). */
  closesAt: number | null;
}

/** How far ahead `opensAt` and `closesAt` look. */
export const scheduleHorizonMs = 14 * dayMs;

interface Span {
  start: number;
  end: number;
}

interface CompiledSchedule {
  timeZone: string;
  /** Indexed by Date#getUTCDay: 0 = sunday. Minutes since local midnight, sorted by start. */
  weekly: Span[][];
  /** Keyed by local date as days since 1970-01-01. */
  dates: Map<number, Span[]>;
  memo?: { minute: number; state: ScheduleState };
}

const compiled = new WeakMap<Schedule, CompiledSchedule>();
// Date#getUTCDay order, so that a day number maps to its key.
const weekdayOrder = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const satisfies readonly DayKey[];

function spans(intervals: ReadonlyArray<readonly [string, string]> | undefined): Span[] {
  return (intervals ?? []).map(intervalMinutes).sort((a, b) => a.start - b.start);
}

function compile(schedule: Schedule): CompiledSchedule {
  let found = compiled.get(schedule);
  if (!found) {
    found = {
      timeZone: schedule.timeZone,
      weekly: weekdayOrder.map((day) => spans(schedule.weekly?.[day])),
      dates: new Map(Object.entries(schedule.dates ?? {}).map(([date, intervals]) => [Date.parse(date) / dayMs, spans(intervals)])),
    };
    compiled.set(schedule, found);
  }
  return found;
}

/**
 * An interval belongs to the local day it starts on: `dates` replace the intervals that start on
 * that date, and an overnight interval from the day before still runs to its end.
 */
function hoursOn(schedule: CompiledSchedule, dayNumber: number): Span[] {
  const dated = schedule.dates.get(dayNumber);
  if (dated) return dated;
  // 1970-01-01 (day 0) was a thursday.
  return schedule.weekly[(((dayNumber + 4) % 7) + 7) % 7]!;
}

/** The open intervals as instants, in order of start, from the day before `nowMs` to past the horizon. */
function* instants(schedule: CompiledSchedule, nowMs: number): Generator<Span> {
  const today = localDayNumber(schedule.timeZone, nowMs);
  // The horizon ends on local day today+14 (give or take one across a clock change): today+16 is safe.
  for (let day = today - 1; day <= today + 16; day += 1) {
    for (const span of hoursOn(schedule, day)) {
      const start = localToUtc(schedule.timeZone, day * dayMs + span.start * minuteMs);
      const end = localToUtc(schedule.timeZone, day * dayMs + span.end * minuteMs);
      // Both ends inside one spring-forward gap: nothing is open.
      if (end > start) yield { start, end };
    }
  }
}

function evaluate(schedule: CompiledSchedule, nowMs: number): ScheduleState {
  const horizon = nowMs + scheduleHorizonMs;
  let period: Span | undefined;
  for (const span of instants(schedule, nowMs)) {
    if (period && span.start <= period.end) {
      // Overlapping or touching hours (across midnight, or across days) are one open period.
      period.end = Math.max(period.end, span.end);
    } else {
      if (period && period.end > nowMs) break;
      period = { ...span };
      if (period.start > nowMs) break;
    }
    if (span.start > horizon) break;
  }
  if (!period || period.end <= nowMs) return { open: false, opensAt: null, closesAt: null };
  if (period.start > nowMs) return { open: false, opensAt: period.start <= horizon ? period.start : null, closesAt: null };
  return { open: true, opensAt: null, closesAt: period.end <= horizon ? period.end : null };
}

/**
 * Open or closed at `nowMs`, with the next opening or the end of the current open period.
 * Every change falls on a whole minute (HH:MM local times, whole-minute offsets), so one result
 * per schedule and minute is kept: the gate calls this on every request.
 */
export function evaluateSchedule(schedule: Schedule, nowMs: number): ScheduleState {
  const compiledSchedule = compile(schedule);
  const minute = Math.floor(nowMs / minuteMs);
  const memo = compiledSchedule.memo;
  if (memo?.minute === minute) return { ...memo.state };
  const state = evaluate(compiledSchedule, nowMs);
  compiledSchedule.memo = { minute, state };
  return { ...state };
}
