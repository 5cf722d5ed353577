import * as z from 'zod/mini';
import { isKnownTimeZone, scheduleName, scheduleReferenceIssues, scheduleSchema, schedulesSchema } from '../../../shared/schedule/schedule-schema';

/** Every problem as `path: message`, the way the config error prints them. */
function problems(input: unknown): string[] {
  const result = schedulesSchema.safeParse(input);
  if (result.success) throw new Error('expected the schedules to be rejected');
  return result.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);
}

const valid = {
  'us-east': {
    timeZone: 'America/New_York',
    weekly: {
      mon: [['09:00', '17:00']],
      fri: [
        ['09:00', '12:00'],
        ['13:00', '17:00'],
      ],
      sat: [['22:00', '02:00']],
    },
    dates: { '2026-12-25': [], '2026-12-24': [['09:00', '13:00']] },
  },
};

describe('schedulesSchema: accepted', () => {
  it('accepts the contract example unchanged', () => {
    expect(schedulesSchema.parse(valid)).toEqual(valid);
  });

  it('accepts 24:00 as an end, touching intervals, an overnight interval and aliases of zones', () => {
    for (const timeZone of ['UTC', 'Etc/UTC', 'Asia/Kolkata', 'Asia/Calcutta', 'Australia/Lord_Howe', 'America/Argentina/Buenos_Aires']) {
      const input = {
        timeZone,
        weekly: {
          sun: [
            ['00:00', '12:00'],
            ['12:00', '24:00'],
          ],
          mon: [['22:00', '06:00']],
        },
      };
      expect(scheduleSchema.safeParse(input).success).toBe(true);
    }
  });
});

describe('schedulesSchema: every problem with its path', () => {
  it('reports an unknown time zone, with a suggestion for a wrong case', () => {
    const [unknown, wrongCase, offset] = problems({ a: { timeZone: 'Mars/Olympus_Mons' }, b: { timeZone: 'america/new_york' }, c: { timeZone: '+05:30' } });
    expect(unknown).toBe('a.timeZone: unknown time zone "Mars/Olympus_Mons"');
    expect(wrongCase).toBe('b.timeZone: unknown time zone "america/new_york" (did you mean "America/New_York"?)');
    // Node 20's Intl refuses "+05:30", Node 24's takes it as a fixed offset: refused on both.
    expect(offset).toMatch(/^c\.timeZone: must be an IANA Area\/Location time zone name such as "America\/New_York", or "UTC"/);
    expect(problems({ a: { timeZone: 'America/New_york' } })).toEqual(['a.timeZone: unknown time zone "America/New_york" (did you mean "America/New_York"?)']);
  });

  it('refuses legacy names and fixed offsets that Intl accepts, saying what Intl would have used', () => {
    const form = 'must be an IANA Area/Location time zone name such as "America/New_York", or "UTC"';
    expect(problems({ a: { timeZone: 'EST' }, b: { timeZone: 'US/Eastern' }, c: { timeZone: 'Etc/GMT+5' } })).toEqual([
      `a.timeZone: ${form}; "EST" is a legacy name or a fixed offset (Intl reads it as "America/Panama")`,
      `b.timeZone: ${form}; "US/Eastern" is a legacy name or a fixed offset (Intl reads it as "America/New_York")`,
      `c.timeZone: ${form}; "Etc/GMT+5" is a legacy name or a fixed offset`,
    ]);
    for (const timeZone of ['CET', 'EST5EDT', 'MST', 'HST', 'GMT', 'Etc/GMT', 'Zulu', 'Japan', 'Canada/Pacific', 'Etc/Unknown']) {
      expect(problems({ a: { timeZone } })).toEqual([expect.stringMatching(/^a\.timeZone: (must be an IANA Area\/Location|unknown time zone)/)]);
    }
  });

  it('reports a bad HH:MM, and 24:00 as a start', () => {
    expect(
      problems({
        a: {
          timeZone: 'UTC',
          weekly: {
            mon: [
              ['9:00', '17:60'],
              ['24:00', '24:00'],
            ],
            tue: [['08:00', '24:01']],
          },
        },
      }),
    ).toEqual([
      'a.weekly.mon.0.0: must be a start time HH:MM from 00:00 to 23:59 (24:00 may only end an interval)',
      'a.weekly.mon.0.1: must be an end time HH:MM from 00:00 to 24:00',
      'a.weekly.mon.1.0: must be a start time HH:MM from 00:00 to 23:59 (24:00 may only end an interval)',
      'a.weekly.tue.0.1: must be an end time HH:MM from 00:00 to 24:00',
    ]);
  });

  it('reports an unknown day key', () => {
    expect(problems({ a: { timeZone: 'UTC', weekly: { mon: [], monday: [], Sat: [] } } })).toEqual([
      'a.weekly: unknown day "monday", "Sat" (days are mon, tue, wed, thu, fri, sat, sun)',
    ]);
  });

  it('reports a bad or unreal date key', () => {
    expect(problems({ a: { timeZone: 'UTC', dates: { '2026-12-25': [], '2026-2-01': [], '2027-02-29': [], '2026-13-01': [] } } })).toEqual([
      'a.dates.2026-2-01: date key must be a date YYYY-MM-DD',
      'a.dates.2027-02-29: date key is not a real date',
      'a.dates.2026-13-01: date key is not a real date',
    ]);
    expect(scheduleSchema.safeParse({ timeZone: 'UTC', dates: { '2028-02-29': [] } }).success).toBe(true);
  });

  it('reports an interval that is not a pair', () => {
    expect(problems({ a: { timeZone: 'UTC', weekly: { mon: [['09:00'], ['09:00', '10:00', '11:00'], '09:00-17:00'] } } })).toEqual([
      'a.weekly.mon.0: must be a pair ["HH:MM", "HH:MM"] (start, end)',
      'a.weekly.mon.1: must be a pair ["HH:MM", "HH:MM"] (start, end)',
      'a.weekly.mon.2: must be a pair ["HH:MM", "HH:MM"] (start, end)',
    ]);
  });

  it('refuses overlapping intervals within one day, naming both', () => {
    expect(
      problems({
        a: {
          timeZone: 'UTC',
          weekly: {
            fri: [
              ['09:00', '13:00'],
              ['12:00', '17:00'],
            ],
          },
          dates: {
            '2027-01-01': [
              ['22:00', '02:00'],
              ['23:00', '23:30'],
            ],
          },
        },
      }),
    ).toEqual([
      'a.weekly.fri.1: overlaps interval [0] (09:00-13:00 and 12:00-17:00); write them as one interval',
      'a.dates.2027-01-01.1: overlaps interval [0] (22:00-02:00 and 23:00-23:30); write them as one interval',
    ]);
  });

  it('finds every interval overlapping a long one, not only its neighbour', () => {
    expect(
      problems({
        a: {
          timeZone: 'UTC',
          weekly: {
            mon: [
              ['09:00', '17:00'],
              ['10:00', '11:00'],
              ['12:00', '13:00'],
              ['17:00', '18:00'],
            ],
          },
        },
      }),
    ).toEqual([
      'a.weekly.mon.1: overlaps interval [0] (09:00-17:00 and 10:00-11:00); write them as one interval',
      'a.weekly.mon.2: overlaps interval [0] (09:00-17:00 and 12:00-13:00); write them as one interval',
    ]);
  });

  it('refuses unknown keys and a bad schedule name', () => {
    expect(problems({ 'bad name': { timeZone: 'UTC' } })).toEqual(['bad name: schedule name must match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$']);
    expect(problems({ a: { timeZone: 'UTC', hours: {} } })).toEqual(['a: Unrecognized key: "hours"']);
    expect(problems({ a: {} })).toEqual(['a.timeZone: Invalid input: expected string, received undefined']);
  });
});

describe('scheduleName', () => {
  it('takes a name like a queue id and refuses an empty one', () => {
    expect(scheduleName.safeParse('us-east').success).toBe(true);
    expect(scheduleName.safeParse('').success).toBe(false);
  });
});

describe('isKnownTimeZone', () => {
  it('takes every name Intl lists', () => {
    expect(Intl.supportedValuesOf('timeZone').every(isKnownTimeZone)).toBe(true);
  });
});

describe('scheduleReferenceIssues', () => {
  it('reports a schedule name that does not exist, in defaults and queues', () => {
    const config = {
      schedules: valid,
      defaults: { schedule: 'us-west' },
      queues: [{ id: 'a' }, { id: 'b', schedule: 'us-east' }, { id: 'c', schedule: 'uk' }],
    };
    expect(scheduleReferenceIssues(config)).toEqual([
      { code: 'custom', path: ['defaults', 'schedule'], message: 'unknown schedule "us-west" (known: "us-east")' },
      { code: 'custom', path: ['queues', 2, 'schedule'], message: 'unknown schedule "uk" (known: "us-east")' },
    ]);
  });

  it('says when no schedules are defined and ignores names inherited from Object', () => {
    expect(scheduleReferenceIssues({ queues: [{ schedule: 'toString' }] })).toEqual([
      { code: 'custom', path: ['queues', 0, 'schedule'], message: 'unknown schedule "toString" (no schedules are defined)' },
    ]);
  });

  it('leaves a malformed config to the schema', () => {
    expect(scheduleReferenceIssues(null)).toEqual([]);
    expect(scheduleReferenceIssues({ schedules: 'x', queues: [{ schedule: 'a' }] })).toEqual([]);
    expect(scheduleReferenceIssues({ schedules: valid, queues: [{ schedule: 'us-east' }], defaults: 3 })).toEqual([]);
  });
});

describe('JSON Schema', () => {
  const json = z.toJSONSchema(schedulesSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, any>;
  const schedule = json.additionalProperties;

  it('has the name pattern and a strict schedule object', () => {
    expect(json.propertyNames.pattern).toBe('^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$');
    expect(schedule.additionalProperties).toBe(false);
    expect(schedule.required).toEqual(['timeZone']);
    expect(schedule.properties.timeZone.pattern).toBeDefined();
  });

  it('lists the day keys as optional properties with HH:MM patterns', () => {
    const weekly = schedule.properties.weekly;
    expect(Object.keys(weekly.properties)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
    expect(weekly.required).toBeUndefined();
    expect(weekly.additionalProperties).toBe(false);
    const pair = weekly.properties.mon.items;
    expect(pair).toMatchObject({ type: 'array', minItems: 2, maxItems: 2 });
    expect(pair.prefixItems.map((item: { pattern: string }) => item.pattern)).toEqual(['^([01]\\d|2[0-3]):[0-5]\\d$', '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$']);
  });

  it('has the date key pattern', () => {
    expect(schedule.properties.dates.propertyNames.pattern).toBe('^\\d{4}-\\d{2}-\\d{2}$');
  });
});
