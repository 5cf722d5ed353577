import type { SecretSource } from '../../shared/secrets';

/** An in-memory SecretSource: secret name to its JSON value (objects are stringified). */
export function fakeSecretSource(secrets: Record<string, unknown>): SecretSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async getSecretString(name) {
      reads.push(name);
      if (!(name in secrets)) throw Object.assign(new Error(`ResourceNotFoundException: ${name}`), { name: 'ResourceNotFoundException' });
      const value = secrets[name];
      return typeof value === 'string' ? value : JSON.stringify(value);
    },
  };
}
