/**
 * The access key a local gate's stand-ins (Secrets Manager, embedded dynalite) accept, generated
 * per `npm start` (docs/operators/running-locally.md, "Only their gates"). Its SDK clients sign
 * with it because it is this process's environment credentials, as Lambda's role credentials are
 * in AWS. A second gate gets it through the environment, never on its command line.
 */
import { randomBytes } from 'node:crypto';

export interface LocalAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A fresh random key: 80 bits of id (AWS's 20-character shape), 256 bits of secret. */
export function newLocalAccessKey(): LocalAccessKey {
  return {
    accessKeyId: `AKLOCAL${randomBytes(10).toString('hex').toUpperCase().slice(0, 13)}`,
    secretAccessKey: randomBytes(32).toString('base64url'),
  };
}

/** The key in `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`, when both are set. */
export function accessKeyFromEnv(env: NodeJS.ProcessEnv): LocalAccessKey | undefined {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

/** Makes `key` this process's AWS credentials (nothing else: no session token, no profile). */
export function useLocalAccessKey(key: LocalAccessKey, env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_ACCESS_KEY_ID = key.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = key.secretAccessKey;
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_PROFILE;
}

/** `NAME=value NAME=value ` for a pasted command line: environment variables, not arguments. */
export function accessKeyEnvPrefix(key: LocalAccessKey): string {
  return `AWS_ACCESS_KEY_ID=${key.accessKeyId} AWS_SECRET_ACCESS_KEY=${key.secretAccessKey} `;
}
