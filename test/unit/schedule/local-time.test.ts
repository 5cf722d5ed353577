import { localDayNumber, localToUtc, offsetAt } from '../../../shared/schedule/local-time';

const hour = 3_600_000;
/** A local wall-clock time written as if it were UTC, the way localToUtc takes it. */
const local = (text: string) => Date.parse(`${text}Z`);
const iso = (epochMs: number) => new Date(epochMs).toISOString();

describe('offsetAt', () => {
  it('reads whole-hour, half-hour and negative offsets', () => {
    expect(offsetAt('America/New_York', Date.parse('2027-01-15T12:00:00Z'))).toBe(-5 * hour);
    expect(offsetAt('America/New_York', Date.parse('2027-07-15T12:00:00Z'))).toBe(-4 * hour);
    expect(offsetAt('Asia/Kolkata', Date.parse('2027-07-15T12:00:00Z'))).toBe(5.5 * hour);
    expect(offsetAt('Australia/Lord_Howe', Date.parse('2027-07-15T12:00:00Z'))).toBe(10.5 * hour);
    expect(offsetAt('Australia/Lord_Howe', Date.parse('2027-12-15T12:00:00Z'))).toBe(11 * hour);
    expect(offsetAt('UTC', Date.parse('2027-12-15T12:00:00Z'))).toBe(0);
  });

  it('is exact at an instant with milliseconds, before 1970 too', () => {
    expect(offsetAt('Asia/Kolkata', Date.parse('2027-07-15T12:00:00.999Z'))).toBe(5.5 * hour);
    expect(offsetAt('America/New_York', Date.parse('1969-07-15T12:00:00.250Z'))).toBe(-4 * hour);
  });

  it('refuses an unknown zone', () => {
    expect(() => offsetAt('Mars/Olympus_Mons', 0)).toThrow(RangeError);
  });
});

describe('localDayNumber', () => {
  it('gives the local date, which may differ from the UTC date', () => {
    const instant = Date.parse('2027-01-04T20:00:00Z');
    expect(iso(localDayNumber('UTC', instant) * 86_400_000)).toBe('2027-01-04T00:00:00.000Z');
    expect(iso(localDayNumber('Asia/Kolkata', instant) * 86_400_000)).toBe('2027-01-05T00:00:00.000Z');
    expect(iso(localDayNumber('Pacific/Honolulu', Date.parse('2027-01-05T05:00:00Z')) * 86_400_000)).toBe('2027-01-04T00:00:00.000Z');
  });
});

describe('localToUtc', () => {
  it('converts an ordinary time', () => {
    expect(iso(localToUtc('America/New_York', local('2027-01-15T09:00')))).toBe('2027-01-15T14:00:00.000Z');
    expect(iso(localToUtc('Asia/Kolkata', local('2027-01-15T09:00')))).toBe('2027-01-15T03:30:00.000Z');
  });

  it('maps a time in the spring-forward gap to the instant of the jump', () => {
    for (const time of ['02:00', '02:01', '02:30', '02:59']) {
      expect(iso(localToUtc('America/New_York', local(`2027-03-14T${time}`)))).toBe('2027-03-14T07:00:00.000Z');
    }
    expect(iso(localToUtc('America/New_York', local('2027-03-14T03:00')))).toBe('2027-03-14T07:00:00.000Z');
    expect(iso(localToUtc('America/New_York', local('2027-03-14T01:59')))).toBe('2027-03-14T06:59:00.000Z');
    expect(iso(localToUtc('Australia/Lord_Howe', local('2027-10-03T02:15')))).toBe('2027-10-02T15:30:00.000Z');
  });

  it('maps a time that occurs twice to its first occurrence', () => {
    expect(iso(localToUtc('America/New_York', local('2027-11-07T01:30')))).toBe('2027-11-07T05:30:00.000Z');
    expect(iso(localToUtc('America/New_York', local('2027-11-07T01:00')))).toBe('2027-11-07T05:00:00.000Z');
    expect(iso(localToUtc('America/New_York', local('2027-11-07T02:00')))).toBe('2027-11-07T07:00:00.000Z');
    expect(iso(localToUtc('Australia/Lord_Howe', local('2027-04-04T01:45')))).toBe('2027-04-03T14:45:00.000Z');
  });

  it('rolls 24:00 over to the next day', () => {
    expect(iso(localToUtc('Asia/Kolkata', local('2027-01-04T00:00') + 24 * hour))).toBe('2027-01-04T18:30:00.000Z');
  });
});
