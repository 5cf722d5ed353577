/**
 * The `timeZone` of a schedule (README "Schedules"): an IANA Area/Location name such as
 * "America/New_York", or "UTC". Legacy names ("EST", "CET", "US/Eastern", "Japan") and fixed
 * offsets ("Etc/GMT+5", "+05:30") are refused even where Intl accepts them: "EST" is a fixed UTC-5
 * without daylight saving (the tz database links it to America/Panama), which a config naming
 * New York's hours almost never means.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { gateOnly } from '../config/fields';

/** The tz database's geographic areas: every location name starts with one. */
const areas = ['Africa', 'America', 'Antarctica', 'Arctic', 'Asia', 'Atlantic', 'Australia', 'Europe', 'Indian', 'Pacific'];
// Segments start with a capital letter (America/Port-au-Prince, America/North_Dakota/New_Salem).
export const zonePattern = new RegExp(`^(?:UTC|Etc/UTC|(?:${areas.join('|')})(?:/[A-Z][A-Za-z0-9_+-]*)+)$`);
/** Anything spelled like a zone name, in a known area or not ("Mars/Olympus", "EST"). */
const namePattern = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/;

const form = 'must be an IANA Area/Location time zone name such as "America/New_York", or "UTC"';

// ICU's list of zones, built at the first zone checked (about 2 ms): a cold start whose config
// names no time zone never pays for it.
let knownZones: ReadonlySet<string> | undefined;

/** The zone Intl takes `name` for, or undefined when Intl knows no such zone. */
function resolvedZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Why a name outside the accepted forms is refused, with what it stands for when Intl knows it. */
export function zoneFormProblem(name: string): string {
  const resolved = resolvedZone(name);
  if (resolved === undefined) return namePattern.test(name) ? `unknown time zone "${name}"` : form;
  // Intl ignores case; a config should spell the name the way the tz database does.
  if (resolved.toLowerCase() === name.toLowerCase() && zonePattern.test(resolved)) return `unknown time zone "${name}" (did you mean "${resolved}"?)`;
  const means = resolved === name ? '' : ` (Intl reads it as "${resolved}")`;
  return `${form}; "${name}" is a legacy name or a fixed offset${means}`;
}

/** Why a time zone name is refused, or undefined when it is a known Area/Location name or UTC. */
export function timeZoneProblem(name: string): string | undefined {
  if (!zonePattern.test(name)) return zoneFormProblem(name);
  knownZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (knownZones.has(name)) return undefined;
  const resolved = resolvedZone(name);
  if (resolved === undefined) return `unknown time zone "${name}"`;
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return `unknown time zone "${name}" (did you mean "${resolved}"?)`;
  return undefined;
}

/**
 * ICU's list holds one canonical name per zone and leaves out names such as "UTC", "Etc/UTC" or
 * "Asia/Kolkata" (it lists "Asia/Calcutta") that operators write: those are accepted when they
 * have the Area/Location form and Intl.DateTimeFormat accepts them.
 */
export function isKnownTimeZone(name: string): boolean {
  return timeZoneProblem(name) === undefined;
}

export const timeZoneName = gateOnly(
  z
    .string()
    .check(z.regex(zonePattern, { error: (issue) => (typeof issue.input === 'string' ? zoneFormProblem(issue.input) : form) }))
    .check(
      z.superRefine((name, ctx) => {
        const problem = zonePattern.test(name) ? timeZoneProblem(name) : undefined;
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
      z.describe('IANA time zone of every time in this schedule: an Area/Location name such as "America/New_York", or "UTC".'),
    ),
  "the list of time zones is the runtime ICU's; the published schema carries the Area/Location pattern",
);
