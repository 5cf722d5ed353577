/**
 * What an operator may change without touching code, read from CDK context (cdk.json or
 * `-c key=value`) and validated with every problem listed, like gate.config.json
 * (docs/operators/settings.md). `-c` values arrive as strings, so numbers are coerced. A key
 * that looks like a setting but is none (`-c alarmEmial=...`) is refused with the setting it
 * was probably meant to be, rather than ignored.
 */
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import leven from 'leven';
import * as z from 'zod/mini';
import '../shared/zod-locale';
import { ConfigError } from '../shared/errors';
import { defaultScheduledCheckConcurrency, maxScheduledCheckConcurrency } from '../shared/scheduled/check-concurrency';

/** CloudWatch Logs accepts only these retention periods. */
const logRetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const integer = (min: number, max: number) => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));
const flag = z.union([
  z.boolean(),
  z.pipe(
    z.enum(['true', 'false']),
    z.transform((value: 'true' | 'false') => value === 'true'),
  ),
]);

export const operatorSettingsSchema = z.object({
  /** CloudFormation stack name; change it to run a second gate (e.g. staging) in one account. */
  stackName: z._default(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'must be a CloudFormation stack name')), 'TransferGate'),
  /**
   * The API's endpoint: REGIONAL (callers are servers, usually near the region) or EDGE (through
   * CloudFront's edge locations, for callers spread far from the region).
   */
  apiEndpointType: z._default(z.enum(['REGIONAL', 'EDGE'], 'must be REGIONAL or EDGE'), 'REGIONAL'),
  /**
   * API Gateway throttling, the stage's default method setting: steady requests per second that
   * EACH method (GET availability, GET health) accepts, all callers and queues together. Not a
   * stage-wide total: the two methods have a bucket each.
   */
  throttleRateLimit: z._default(integer(1, 10_000), 50),
  /** The burst of each method's bucket: requests accepted at once above the steady rate. */
  throttleBurstLimit: z._default(integer(1, 5_000), 100),
  /** Alarms are e-mailed here (SNS asks the address to confirm); none: subscribe to the topic yourself. */
  alarmEmail: z.optional(z.email('must be an e-mail address')),
  /** Only this Amazon Connect instance may invoke the Connect function; none: any instance in this account. */
  connectInstanceArn: z.optional(
    z
      .string()
      .check(
        z.regex(
          /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/,
          'must be an Amazon Connect instance ARN (arn:aws:connect:REGION:ACCOUNT:instance/ID)',
        ),
      ),
  ),
  /** Days to keep function and API access logs. */
  logRetentionDays: z._default(
    z.pipe(
      z.coerce.number().check(z.refine((days) => (logRetentionDays as readonly number[]).includes(days), `must be one of ${logRetentionDays.join(', ')}`)),
      // RetentionDays is an enum of exactly the numbers checked above.
      z.transform((days: number) => days as RetentionDays),
    ),
    30 as RetentionDays,
  ),
  /** Memory of each function in MB (Lambda gives CPU in proportion; more memory means faster cold starts). */
  memorySize: z._default(integer(128, 10_240), 512),
  /** Caps concurrent executions of the HTTP and Connect functions each, and so the load on vendors; none: no cap. */
  reservedConcurrency: z.optional(integer(1, 1_000)),
  /** Minutes between scheduled checks of every queue. */
  checkIntervalMinutes: z._default(integer(1, 60), 1),
  /** Create the account-wide role API Gateway needs to write execution logs; false if the account already has one. */
  apiGatewayCloudWatchRole: z._default(flag, true),
  /**
   * An AWS WAF web ACL in front of the API that blocks an IP address sending more than this many
   * requests in 5 minutes (429 rate_limited); none: no web ACL. Set it above the busiest caller's
   * per-address rate.
   */
  wafRateLimit: z.optional(integer(10, 2_000_000_000)),
  /** Queues the scheduled check reads at once (SCHEDULED_CHECK_CONCURRENCY on the check function). */
  scheduledCheckConcurrency: z._default(integer(1, maxScheduledCheckConcurrency), defaultScheduledCheckConcurrency),
});
export type OperatorSettings = z.output<typeof operatorSettingsSchema>;
export const operatorSettingKeys = Object.keys(operatorSettingsSchema.shape) as Array<keyof OperatorSettings>;

/** Context keys the app reads besides the operator settings (stack-config.ts). */
const otherAppKeys = ['config'];
const knownKeys = [...operatorSettingKeys, ...otherAppKeys];

/**
 * Reads every setting from context (`tryGetContext`); unset and empty values take the default.
 * `contextKeys`: every key in the context, checked for settings that do not exist.
 */
export function readOperatorSettings(getContext: (key: string) => unknown, contextKeys: Iterable<string> = []): OperatorSettings {
  const raw: Record<string, unknown> = {};
  for (const key of operatorSettingKeys) {
    const value = getContext(key);
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const problems = unknownSettingProblems(contextKeys).map((problem) => `  - ${problem}`);
  const parsed = operatorSettingsSchema.safeParse(raw);
  if (parsed.success && problems.length === 0) return parsed.data;
  for (const issue of parsed.error?.issues ?? []) {
    problems.push(`  - context "${issue.path.join('.')}": ${issue.message} (got ${JSON.stringify(raw[String(issue.path[0])])})`);
  }
  throw new ConfigError(`CDK context is invalid:\n${problems.join('\n')}`);
}

/**
 * Keys that look like a setting but are none. CDK's own keys are left alone: they hold a `:`,
 * `/`, `@` or `.` (`aws:cdk:...`, `@aws-cdk/...`, lookups cached in cdk.context.json) or a hyphen
 * (`cli-telemetry`, `acknowledged-issue-numbers`); a hyphenated key is refused only when it is a
 * near miss of a setting (`alarm-email`). A plain word (`alarmEmial`) is always refused.
 */
export function unknownSettingProblems(contextKeys: Iterable<string>): string[] {
  const problems: string[] = [];
  for (const key of contextKeys) {
    if (knownKeys.includes(key) || /[:/@.]/.test(key)) continue;
    const suggestion = closestSetting(key);
    if (/^[A-Za-z][A-Za-z0-9]*$/.test(key))
      problems.push(`unknown setting "${key}": ${suggestion ? `did you mean "${suggestion}"?` : `the settings are ${knownKeys.join(', ')}`}`);
    else if (suggestion) problems.push(`unknown setting "${key}": did you mean "${suggestion}"?`);
  }
  return problems;
}

/** The setting a key most likely meant: case, hyphens and underscores aside, at most 3 edits away. */
function closestSetting(key: string): string | undefined {
  const plain = (text: string) => text.toLowerCase().replace(/[-_]/g, '');
  let best: { key: string; distance: number } | undefined;
  for (const known of knownKeys) {
    const distance = leven(plain(key), plain(known));
    if (distance <= 3 && (!best || distance < best.distance)) best = { key: known, distance };
  }
  return best?.key;
}
