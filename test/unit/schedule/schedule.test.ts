import { evaluateSchedule } from '../../../shared/schedule/schedule';
import { scheduleSchema, type Schedule } from '../../../shared/schedule/schedule-schema';

/** Parsed through the schema, so every fixture is a config an operator could write. */
function schedule(input: unknown): Schedule {
  return scheduleSchema.parse(input);
}

/** The state at a fixed instant, with instants written as ISO strings for readable failures. */
function at(subject: Schedule, instant: string) {
  const state = evaluateSchedule(subject, Date.parse(instant));
  const iso = (value: number | null) => (value === null ? null : new Date(value).toISOString());
  return { open: state.open, opensAt: iso(state.opensAt), closesAt: iso(state.closesAt) };
}

const open = (closesAt: string | null) => ({ open: true, opensAt: null, closesAt });
const closed = (opensAt: string | null) => ({ open: false, opensAt, closesAt: null });

const officeHours = schedule({
  timeZone: 'America/New_York',
  weekly: {
    mon: [['09:00', '17:00']],
    tue: [['09:00', '17:00']],
    fri: [
      ['09:00', '12:00'],
      ['13:00', '17:00'],
    ],
    sat: [['22:00', '02:00']],
  },
  dates: { '2026-12-25': [], '2026-12-24': [['09:00', '13:00']] },
});

describe('evaluateSchedule: weekly hours', () => {
  it('is open inside an interval and says when it closes', () => {
    // Monday 2026-11-23 10:00 EST = 15:00Z.
    expect(at(officeHours, '2026-11-23T15:00:00Z')).toEqual(open('2026-11-23T22:00:00.000Z'));
  });

  it('is closed before the opening and says when it opens', () => {
    expect(at(officeHours, '2026-11-23T13:59:00Z')).toEqual(closed('2026-11-23T14:00:00.000Z'));
  });

  it('treats the start as open and the end as closed', () => {
    expect(at(officeHours, '2026-11-23T14:00:00Z').open).toBe(true);
    // Tuesday opens next at 09:00 EST.
    expect(at(officeHours, '2026-11-23T22:00:00Z')).toEqual(closed('2026-11-24T14:00:00.000Z'));
  });

  it('treats a day not listed as closed (Wednesday to Friday)', () => {
    expect(at(officeHours, '2026-11-25T15:00:00Z')).toEqual(closed('2026-11-27T14:00:00.000Z'));
  });

  it('closes at a lunch break and reopens after it', () => {
    expect(at(officeHours, '2026-11-27T16:00:00Z')).toEqual(open('2026-11-27T17:00:00.000Z'));
    expect(at(officeHours, '2026-11-27T17:30:00Z')).toEqual(closed('2026-11-27T18:00:00.000Z'));
  });

  it('runs an overnight interval past midnight into the next day', () => {
    // Saturday 2026-11-28 22:00 EST = 2026-11-29T03:00Z, to Sunday 02:00 EST = 07:00Z.
    expect(at(officeHours, '2026-11-29T03:00:00Z')).toEqual(open('2026-11-29T07:00:00.000Z'));
    expect(at(officeHours, '2026-11-29T06:59:00Z')).toEqual(open('2026-11-29T07:00:00.000Z'));
    expect(at(officeHours, '2026-11-29T07:00:00Z')).toEqual(closed('2026-11-30T14:00:00.000Z'));
  });
});

describe('evaluateSchedule: dates', () => {
  it('closes a holiday all day ([])', () => {
    // Friday 2026-12-25 would be open 09:00-12:00; it is closed, and Saturday opens at 22:00.
    expect(at(officeHours, '2026-12-25T15:00:00Z')).toEqual(closed('2026-12-27T03:00:00.000Z'));
  });

  it('shortens a half day to its own hours', () => {
    // Thursday 2026-12-24 (no weekly hours) opens 09:00-13:00 EST.
    expect(at(officeHours, '2026-12-24T13:00:00Z')).toEqual(closed('2026-12-24T14:00:00.000Z'));
    expect(at(officeHours, '2026-12-24T17:00:00Z')).toEqual(open('2026-12-24T18:00:00.000Z'));
    expect(at(officeHours, '2026-12-24T18:00:00Z')).toEqual(closed('2026-12-27T03:00:00.000Z'));
  });

  it('lets an overnight interval from the day before run into a closed date (it belongs to the day it starts on)', () => {
    const weekend = schedule({
      timeZone: 'UTC',
      weekly: { sat: [['22:00', '02:00']] },
      dates: { '2027-01-03': [] },
    });
    // Saturday 2027-01-02 22:00 to Sunday 2027-01-03 02:00, although the Sunday is closed.
    expect(at(weekend, '2027-01-03T01:00:00Z')).toEqual(open('2027-01-03T02:00:00.000Z'));
    // A date entry on the Saturday itself removes the interval.
    const cancelled = schedule({ ...weekend, dates: { '2027-01-02': [] } });
    expect(at(cancelled, '2027-01-03T01:00:00Z')).toEqual(closed('2027-01-09T22:00:00.000Z'));
  });
});

describe('evaluateSchedule: open periods that join', () => {
  it('follows 24:00 on one day into 00:00 on the next (Asia/Kolkata, +05:30)', () => {
    const nights = schedule({
      timeZone: 'Asia/Kolkata',
      weekly: { mon: [['22:00', '24:00']], tue: [['00:00', '06:00']] },
    });
    // Monday 2027-01-04 22:30 IST = 17:00Z; the period ends Tuesday 06:00 IST = 00:30Z.
    expect(at(nights, '2027-01-04T17:00:00Z')).toEqual(open('2027-01-05T00:30:00.000Z'));
    expect(at(nights, '2027-01-04T16:29:00Z')).toEqual(closed('2027-01-04T16:30:00.000Z'));
  });

  it('follows the period across several whole days', () => {
    const longWeekend = schedule({
      timeZone: 'Europe/Berlin',
      weekly: { fri: [['18:00', '24:00']], sat: [['00:00', '24:00']], sun: [['00:00', '24:00']], mon: [['00:00', '08:00']] },
    });
    // Saturday 2027-01-09 noon CET; the period ends Monday 08:00 CET = 07:00Z.
    expect(at(longWeekend, '2027-01-09T11:00:00Z')).toEqual(open('2027-01-11T07:00:00.000Z'));
  });

  it('has no closesAt when open all week (no end within 14 days)', () => {
    const always = schedule({
      timeZone: 'America/New_York',
      weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])),
    });
    expect(at(always, '2027-03-14T07:00:00Z')).toEqual(open(null));
  });

  it('ends an all-week period at a holiday within 14 days', () => {
    const always = schedule({
      timeZone: 'UTC',
      weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])),
      dates: { '2027-01-10': [] },
    });
    expect(at(always, '2027-01-01T12:00:00Z')).toEqual(open('2027-01-10T00:00:00.000Z'));
  });
});

describe('evaluateSchedule: nothing open soon', () => {
  it('has opensAt null when the schedule has no open hours at all', () => {
    expect(at(schedule({ timeZone: 'UTC' }), '2027-01-01T00:00:00Z')).toEqual(closed(null));
    expect(at(schedule({ timeZone: 'UTC', weekly: { mon: [] } }), '2027-01-01T00:00:00Z')).toEqual(closed(null));
  });

  it('has opensAt null when the next opening is more than 14 days away', () => {
    const closures = Object.fromEntries(Array.from({ length: 15 }, (_, index) => [`2027-01-${String(index + 1).padStart(2, '0')}`, []]));
    const daily = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['09:00', '10:00']]]));
    const subject = schedule({ timeZone: 'UTC', weekly: daily, dates: closures });
    // Next opening: 2027-01-16 09:00Z, 15 days 9 hours after the instant.
    expect(at(subject, '2027-01-01T00:00:00Z')).toEqual(closed(null));
    // Exactly 14 days ahead is still within the horizon.
    expect(at(subject, '2027-01-02T09:00:00Z')).toEqual(closed('2027-01-16T09:00:00.000Z'));
  });
});

describe('evaluateSchedule: daylight saving', () => {
  it('opens a start that does not exist (New York, 2027-03-14 02:30) at the first instant after the jump', () => {
    const subject = schedule({ timeZone: 'America/New_York', weekly: { sun: [['02:30', '05:00']] } });
    expect(at(subject, '2027-03-14T06:59:00Z')).toEqual(closed('2027-03-14T07:00:00.000Z'));
    // 03:00 EDT = 07:00Z; 05:00 EDT = 09:00Z.
    expect(at(subject, '2027-03-14T07:00:00Z')).toEqual(open('2027-03-14T09:00:00.000Z'));
  });

  it('opens nothing for an interval that lies wholly inside the jump', () => {
    const subject = schedule({ timeZone: 'America/New_York', weekly: { sun: [['02:00', '02:30']] } });
    // Next Sunday's 02:00 EDT = 06:00Z.
    expect(at(subject, '2027-03-14T06:30:00Z')).toEqual(closed('2027-03-21T06:00:00.000Z'));
  });

  it('ends at the first occurrence of a time that occurs twice (New York, 2027-11-07 01:30)', () => {
    const subject = schedule({ timeZone: 'America/New_York', weekly: { sun: [['00:00', '01:30']] } });
    // 00:00 EDT = 04:00Z; the first 01:30 is EDT = 05:30Z (the second would be 06:30Z).
    expect(at(subject, '2027-11-07T04:00:00Z')).toEqual(open('2027-11-07T05:30:00.000Z'));
    expect(at(subject, '2027-11-07T06:00:00Z')).toEqual(closed('2027-11-14T05:00:00.000Z'));
  });

  it('starts at the first occurrence of a time that occurs twice', () => {
    const subject = schedule({ timeZone: 'America/New_York', weekly: { sun: [['01:30', '03:00']] } });
    expect(at(subject, '2027-11-07T05:00:00Z')).toEqual(closed('2027-11-07T05:30:00.000Z'));
    // 03:00 EST = 08:00Z: the fall-back hour makes this interval 2 h 30 long.
    expect(at(subject, '2027-11-07T05:30:00Z')).toEqual(open('2027-11-07T08:00:00.000Z'));
  });

  it('keeps a 09:00 opening at 09:00 local on both sides of a change', () => {
    const subject = schedule({ timeZone: 'America/New_York', weekly: { sat: [['09:00', '17:00']], mon: [['09:00', '17:00']] } });
    expect(at(subject, '2027-03-13T20:00:00Z')).toEqual(open('2027-03-13T22:00:00.000Z'));
    expect(at(subject, '2027-03-13T22:00:00Z')).toEqual(closed('2027-03-15T13:00:00.000Z'));
  });

  it('handles the 30-minute shifts of Australia/Lord_Howe (2027-04-04 back, 2027-10-03 forward)', () => {
    const subject = schedule({
      timeZone: 'Australia/Lord_Howe',
      weekly: {
        sun: [
          ['01:00', '01:45'],
          ['02:15', '04:00'],
        ],
      },
    });
    // 2027-04-04: 02:00 +11:00 becomes 01:30 +10:30 (15:00Z); the first 01:45 is +11:00 = 14:45Z.
    expect(at(subject, '2027-04-03T14:00:00Z')).toEqual(open('2027-04-03T14:45:00.000Z'));
    // 02:15 +10:30 = 15:45Z.
    expect(at(subject, '2027-04-03T14:45:00Z')).toEqual(closed('2027-04-03T15:45:00.000Z'));
    // 2027-10-03: 02:00 +10:30 becomes 02:30 +11:00 (15:30Z); 02:15 does not exist and opens at 15:30Z.
    // 01:00-01:45 +10:30 is 14:30Z-15:15Z.
    expect(at(subject, '2027-10-02T15:00:00Z')).toEqual(open('2027-10-02T15:15:00.000Z'));
    expect(at(subject, '2027-10-02T15:20:00Z')).toEqual(closed('2027-10-02T15:30:00.000Z'));
    // 04:00 +11:00 = 17:00Z.
    expect(at(subject, '2027-10-02T15:30:00Z')).toEqual(open('2027-10-02T17:00:00.000Z'));
  });
});

describe('evaluateSchedule: per-minute memo', () => {
  it('answers every instant of a minute alike and a new minute afresh', () => {
    const subject = schedule({ timeZone: 'UTC', weekly: { fri: [['09:00', '10:00']] } });
    expect(at(subject, '2027-01-01T08:59:00.000Z').open).toBe(false);
    expect(at(subject, '2027-01-01T08:59:59.999Z').open).toBe(false);
    expect(at(subject, '2027-01-01T09:00:00.000Z').open).toBe(true);
  });

  it('returns a copy, so a caller cannot change the memo', () => {
    const subject = schedule({ timeZone: 'UTC', weekly: { fri: [['09:00', '10:00']] } });
    const first = evaluateSchedule(subject, Date.parse('2027-01-01T09:00:00Z'));
    first.open = false;
    expect(evaluateSchedule(subject, Date.parse('2027-01-01T09:00:30Z')).open).toBe(true);
  });
});
