/** A bad schedule stops a function's cold start and CDK synth with every problem and its path (docs/operators/configuration.md and docs/operators/hours-and-overrides.md). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildGateApp } from '../../infra/gate-app';
import { ConfigError } from '../../shared/errors';
import { defaultRuntime, resetDefaultRuntime } from '../../shared/runtime';
import { cdkJsonContext, tempDir, writeConfigFile } from './support/synth-gate';

const badConfig = {
  schedules: {
    'us-east': {
      timeZone: 'Mars/Olympus',
      weekly: {
        mon: [
          ['09:00', '17:00'],
          ['16:00', '18:00'],
        ],
        tues: [],
      },
    },
  },
  queues: [{ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1, schedule: 'us-west' }],
};
const problems = [
  'schedules.us-east.timeZone: unknown time zone "Mars/Olympus"',
  'schedules.us-east.weekly: unknown day "tues"',
  'schedules.us-east.weekly.mon[1]: overlaps interval [0]',
  'queues[0].schedule: unknown schedule "us-west" (known: "us-east")',
];

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('it started');
}

const savedConfigFile = process.env.GATE_CONFIG_FILE;
afterEach(() => {
  if (savedConfigFile === undefined) delete process.env.GATE_CONFIG_FILE;
  else process.env.GATE_CONFIG_FILE = savedConfigFile;
  resetDefaultRuntime();
});

it('stops a cold start (defaultRuntime) with every problem and its path', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'gate-hours-')), 'gate.config.json');
  writeFileSync(file, JSON.stringify(badConfig));
  process.env.GATE_CONFIG_FILE = file;
  resetDefaultRuntime();
  const message = messageOf(() => defaultRuntime());
  for (const problem of problems) expect(message).toContain(problem);
});

it('stops synth with every problem and its path', () => {
  const file = writeConfigFile(tempDir(), badConfig);
  const message = messageOf(() => buildGateApp(new App({ outdir: tempDir(), context: { ...cdkJsonContext, config: file } })));
  for (const problem of problems) expect(message).toContain(problem);
}, 60_000);
