/**
 * Every vendor secret the config names must be in the secrets file, in its vendor's shape, before
 * a local gate starts (docs/operators/running-locally.md, "Files and flags"): a missing one would
 * otherwise show up only when a caller asks for its queue. Problems name the secret, the queue
 * and the fields, never a value.
 */
import type { GateConfig } from '../shared/config/gate-config';
import { ConfigError } from '../shared/errors';
import { parseSecretArn } from '../shared/secret-arn';
import { vendorModule } from '../shared/vendors/registry';

/** The secrets file's value for a secret the config names by name or ARN (as the stand-in serves it). */
function secretValue(secrets: Record<string, unknown>, secretId: string): unknown {
  if (secretId in secrets) return secrets[secretId];
  const name = parseSecretArn(secretId)?.name;
  return name !== undefined && name in secrets ? secrets[name] : undefined;
}

function asJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Throws a ConfigError listing every queue whose secret is missing from `secrets` or lacks a field. */
export function requireVendorSecrets(config: GateConfig, secrets: Record<string, unknown>, secretsFile: string): void {
  const problems = new Set<string>();
  for (const queue of config.queues.values()) {
    const secretId: unknown = 'secret' in queue ? queue.secret : undefined;
    if (typeof secretId !== 'string') continue;
    const value = secretValue(secrets, secretId);
    if (value === undefined) {
      problems.add(`no secret "${secretId}" (queue "${queue.id}", ${queue.vendor})`);
      continue;
    }
    const parsed = vendorModule(queue.vendor).secretSchema.safeParse(asJson(value));
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(the whole value)');
      problems.add(`secret "${secretId}" (queue "${queue.id}", ${queue.vendor}) lacks or mistypes: ${[...new Set(fields)].join(', ')}`);
    }
  }
  if (problems.size) {
    const list = [...problems].map((problem) => `  - ${problem}`).join('\n');
    throw new ConfigError(
      `${secretsFile} does not hold every vendor secret the config names:\n${list}\n(pass your secrets file with --secrets FILE or GATE_SECRETS_FILE)`,
    );
  }
}
