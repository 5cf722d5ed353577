/**
 * A bad gate.config.json or context value stops synth with every problem listed, each with its
 * path; timeouts and settings follow the config and context, with documented defaults.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { functionTimeout } from '../../infra/function-timeout';
import { buildGateApp } from '../../infra/gate-app';
import { projectRoot } from '../../infra/project-paths';
import { readOperatorSettings, unknownSettingProblems } from '../../infra/settings';
import { loadStackConfig } from '../../infra/stack-config';
import { parseGateConfig } from '../../shared/config/gate-config';
import {
  apiGatewayTimeoutMs,
  callersSecretReserveMs,
  functionTimeoutSeconds,
  maxFunctionTimeoutMs,
  maxQueueTimeoutMs,
  outsideBudgetMs,
  stateStoreReserveMs,
} from '../../shared/config/time-budget';
import { ConfigError } from '../../shared/errors';
import { cdkJsonContext, tempDir, writeConfigFile } from './support/synth-gate';

const badConfig = {
  queues: [
    { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 'one' },
    { id: 'support-2', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 2, baseUrl: 'http://vendor.example.com' },
    { id: 'sales', vendor: 'nobody', secret: 'tg/x' },
  ],
};
const expectedPaths = ['queues[0].ringGroupId', 'queues[1].baseUrl', 'queues[2].vendor'];

function buildWith(context: Record<string, unknown>): () => void {
  return () => buildGateApp(new App({ outdir: tempDir(), context: { ...cdkJsonContext, ...context } }));
}

describe('a bad config', () => {
  const dir = tempDir();
  const badFile = writeConfigFile(dir, badConfig);

  test('stops the app with every problem, each with its JSON path, and the file', () => {
    const build = buildWith({ config: badFile });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(badFile);
    for (const jsonPath of expectedPaths) expect(build).toThrow(jsonPath);
  });

  test('is reported together with bad context values', () => {
    const build = buildWith({ config: badFile, throttleRateLimit: 'fast', alarmEmail: 'not-an-address' });
    for (const problem of [...expectedPaths, 'context "throttleRateLimit"', 'context "alarmEmail"']) expect(build).toThrow(problem);
  });

  test('stops the real entry point (infra/app.ts) with exit code 1 and the list, not a stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: projectRoot,
      // What `cdk synth -c config=FILE` hands the app.
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext, config: badFile }), CDK_OUTDIR: tempDir() },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    for (const jsonPath of expectedPaths) expect(run.stderr).toContain(jsonPath);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('finding the config', () => {
  test('a relative -c config=FILE is read from the directory cdk runs in', () => {
    const dir = tempDir();
    writeConfigFile(dir, { queues: [{ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }] }, 'ops.json');
    expect(loadStackConfig('ops.json', { cwd: dir }).file).toBe(path.join(dir, 'ops.json'));
  });

  test('without -c config and without gate.config.json at the root, synth says what to do', () => {
    const missing = path.join(tempDir(), 'gate.config.json');
    expect(() => loadStackConfig(undefined, { defaultFile: missing })).toThrow(/create gate.config.json .* or name one with -c config=FILE/);
  });

  test('a named file that is missing is reported with its path', () => {
    expect(() => loadStackConfig('nope.json', { cwd: '/tmp' })).toThrow('/tmp/nope.json');
  });
});

describe('function timeout: one rule (shared/config/time-budget.ts)', () => {
  const queue = { id: 'q', vendor: 'aloware', secret: 's', ringGroupId: 1 };
  const configWith = (timeoutMs: number) => parseGateConfig({ defaults: { timeoutMs }, queues: [queue] });

  test("the largest timeoutMs plus the time outside it fits in 28 s, below API Gateway's 29 s", () => {
    expect(maxQueueTimeoutMs).toBe(21_000);
    expect(maxQueueTimeoutMs + outsideBudgetMs).toBe(maxFunctionTimeoutMs);
    expect(maxFunctionTimeoutMs).toBeLessThan(apiGatewayTimeoutMs);
    // The holds/shared-state work adds store calls outside timeoutMs: the reserve accounts for them.
    expect(outsideBudgetMs).toBe(callersSecretReserveMs + stateStoreReserveMs);
    expect(stateStoreReserveMs).toBeGreaterThanOrEqual(1000);
  });

  test.each([100, 2500, 6500, 20_000, 20_500, 21_000])('exceeds the largest queue budget of %i ms by the reserve and stays within 28 s', (timeoutMs) => {
    const seconds = functionTimeout(configWith(timeoutMs)).toSeconds();
    expect(seconds * 1000).toBeGreaterThanOrEqual(timeoutMs + outsideBudgetMs);
    expect(seconds * 1000).toBeLessThanOrEqual(maxFunctionTimeoutMs);
  });

  test.each([21_001, 25_000])('a config with timeoutMs %i is refused, saying why', (timeoutMs) => {
    expect(() => configWith(timeoutMs)).toThrow(ConfigError);
    expect(() => configWith(timeoutMs)).toThrow(/defaults\.timeoutMs.*at most 21000.*API Gateway gives up at 29 s/);
    expect(() => parseGateConfig({ queues: [{ ...queue, timeoutMs }] })).toThrow(/queues\[0\]\.timeoutMs.*at most 21000/);
  });

  test('a budget the rule forbids cannot be turned into a function timeout', () => {
    expect(() => functionTimeoutSeconds(21_001)).toThrow(RangeError);
  });
});

describe('operator settings', () => {
  test('have documented defaults', () => {
    expect(readOperatorSettings(() => undefined)).toEqual({
      stackName: 'TransferGate',
      apiEndpointType: 'REGIONAL',
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      logRetentionDays: 30,
      memorySize: 512,
      checkIntervalMinutes: 1,
      apiGatewayCloudWatchRole: true,
      scheduledCheckConcurrency: 8,
    });
  });

  test.each([
    ['wafRateLimit', '10', 10],
    ['wafRateLimit', '2000000000', 2_000_000_000],
    ['scheduledCheckConcurrency', '1', 1],
    ['scheduledCheckConcurrency', '64', 64],
  ])('%s=%s is taken', (key, value, expected) => {
    expect(readOperatorSettings((name) => (name === key ? value : undefined))[key as 'wafRateLimit']).toBe(expected);
  });

  test.each([
    ['wafRateLimit', '9'],
    ['wafRateLimit', '2000000001'],
    ['wafRateLimit', '1.5'],
    ['wafRateLimit', 'lots'],
    ['scheduledCheckConcurrency', '0'],
    ['scheduledCheckConcurrency', '65'],
  ])('%s=%s is refused with its key and value', (key, value) => {
    const read = () => readOperatorSettings((name) => (name === key ? value : undefined));
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(`context "${key}"`);
    expect(read).toThrow(`(got "${value}")`);
  });

  test('take -c strings as numbers and booleans', () => {
    const context: Record<string, string> = { reservedConcurrency: '5', memorySize: '1024', apiGatewayCloudWatchRole: 'false' };
    expect(readOperatorSettings((key) => context[key])).toMatchObject({ reservedConcurrency: 5, memorySize: 1024, apiGatewayCloudWatchRole: false });
  });

  test('list every bad value with its key', () => {
    const context: Record<string, unknown> = {
      logRetentionDays: '31',
      memorySize: '64',
      connectInstanceArn: 'arn:aws:connect:x',
      reservedConcurrency: '0',
      apiEndpointType: 'PRIVATE',
    };
    const read = () => readOperatorSettings((key) => context[key]);
    for (const key of Object.keys(context)) expect(read).toThrow(`context "${key}"`);
    expect(read).toThrow('context "apiEndpointType": must be REGIONAL or EDGE (got "PRIVATE")');
  });

  test('the API endpoint type is REGIONAL unless EDGE is asked for', () => {
    expect(readOperatorSettings((key) => (key === 'apiEndpointType' ? 'EDGE' : undefined)).apiEndpointType).toBe('EDGE');
  });
});

describe('context keys that are no setting', () => {
  test('a mistyped setting is refused with the setting it was probably meant to be', () => {
    expect(unknownSettingProblems(['alarmEmial'])).toEqual(['unknown setting "alarmEmial": did you mean "alarmEmail"?']);
    expect(unknownSettingProblems(['wafratelimit', 'alarm-email', 'memorysize'])).toEqual([
      'unknown setting "wafratelimit": did you mean "wafRateLimit"?',
      'unknown setting "alarm-email": did you mean "alarmEmail"?',
      'unknown setting "memorysize": did you mean "memorySize"?',
    ]);
  });

  test('a word far from every setting is refused with the list of settings', () => {
    const [problem] = unknownSettingProblems(['colour']);
    expect(problem).toMatch(/^unknown setting "colour": the settings are stackName, .*wafRateLimit, scheduledCheckConcurrency, config$/);
  });

  test("CDK's own keys are left alone: cdk.json's, the CLI's, and cached lookups", () => {
    const cdkKeys = [
      ...Object.keys(cdkJsonContext),
      'aws:cdk:bundling-stacks',
      'aws:cdk:enable-path-metadata',
      'acknowledged-issue-numbers',
      'availability-zones:account=123456789012:region=eu-west-1',
      'cli-telemetry',
    ];
    expect(unknownSettingProblems([...cdkKeys, 'config', 'alarmEmail', 'wafRateLimit'])).toEqual([]);
  });

  test('stop the app, listed with the other context problems', () => {
    const file = writeConfigFile(tempDir(), { queues: [{ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }] });
    const build = buildWith({ config: file, alarmEmial: 'ops@example.com', memorySize: '64' });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow('unknown setting "alarmEmial": did you mean "alarmEmail"?');
    expect(build).toThrow('context "memorySize"');
  });
});
