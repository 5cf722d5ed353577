/**
 * Wall-clock hours as numbers, shared by the schema and the evaluation. Free of zod on purpose:
 * schedule.ts bundles without it.
 */

export const dayKeys = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type DayKey = (typeof dayKeys)[number];

/** `HH:MM`, minutes since local midnight (24:00 = 1440). */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** [start, end) in minutes since the local midnight of the day it starts on; an overnight end is > 1440. */
export function intervalMinutes([start, end]: readonly [string, string]): { start: number; end: number } {
  const from = minutesOf(start);
  const to = minutesOf(end);
  // An end not after its start runs past midnight into the next day (docs/operators/hours-and-overrides.md).
  return { start: from, end: to > from ? to : to + 1440 };
}
