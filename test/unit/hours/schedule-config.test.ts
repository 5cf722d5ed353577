/** `schedules` and `schedule` in gate.config.json (docs/operators/hours-and-overrides.md): resolution and every problem with its path. */
import { parseGateConfig } from '../../../shared/config/gate-config';
import { ConfigError } from '../../../shared/errors';

const aloware = { vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 };
const usEast = { timeZone: 'America/New_York', weekly: { mon: [['09:00', '17:00']] } };

function problems(input: unknown): string {
  try {
    parseGateConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('schedules in the config', () => {
  it('resolves a queue schedule and the default one, one shared object per name; a queue without one has none', () => {
    const config = parseGateConfig({
      schedules: { 'us-east': usEast, late: { timeZone: 'UTC', weekly: { sun: [['22:00', '02:00']] } } },
      defaults: { schedule: 'us-east' },
      queues: [
        { id: 'a', ...aloware },
        { id: 'b', ...aloware },
        { id: 'c', ...aloware, schedule: 'late' },
      ],
    });
    const a = config.queues.get('a')!.policy.schedule;
    expect(a).toEqual(usEast);
    expect(config.queues.get('b')!.policy.schedule).toBe(a);
    expect(config.queues.get('c')!.policy.schedule?.timeZone).toBe('UTC');
    const plain = parseGateConfig({ queues: [{ id: 'a', ...aloware }] });
    expect(plain.queues.get('a')!.policy.schedule).toBeUndefined();
    expect('schedule' in plain.queues.get('a')!.policy).toBe(false);
  });

  it('reports every problem at once, each with its JSON path', () => {
    const message = problems({
      schedules: {
        'us-east': { timeZone: 'America/New_york', weekly: { monday: [['09:00', '17:00']], tue: [['9:00', '17:00']], wed: [['09:00', '25:00']] } },
        nowhere: { timeZone: 'Mars/Olympus', weekly: {} },
      },
      defaults: { schedule: 'emea' },
      queues: [
        { id: 'a', ...aloware },
        { id: 'b', ...aloware, schedule: 'apac' },
      ],
    });
    expect(message).toContain('schedules.us-east.timeZone: unknown time zone "America/New_york" (did you mean "America/New_York"?)');
    expect(message).toContain('schedules.us-east.weekly: unknown day "monday"');
    expect(message).toContain('schedules.us-east.weekly.tue[0][0]: must be a start time HH:MM');
    expect(message).toContain('schedules.us-east.weekly.wed[0][1]: must be an end time HH:MM');
    expect(message).toContain('schedules.nowhere.timeZone: unknown time zone "Mars/Olympus"');
    expect(message).toContain('defaults.schedule: unknown schedule "emea" (known: "us-east", "nowhere")');
    expect(message).toContain('queues[1].schedule: unknown schedule "apac"');
  });

  it('reports a schedule name when no schedules are defined', () => {
    expect(problems({ queues: [{ id: 'a', ...aloware, schedule: 'us-east' }] })).toContain(
      'queues[0].schedule: unknown schedule "us-east" (no schedules are defined)',
    );
  });
});
