/**
 * AWS SDK clients built with credentials from the environment. Lambda hands a function its
 * role's credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, so the
 * SDK's default chain (profiles, SSO, STS web identity, IMDS, each with its nested clients) is
 * never needed there. Where the environment holds no keys (a developer's shell with an AWS
 * profile, for `npm run check`), the SDK's own default applies, unchanged.
 *
 * Endpoints are untouched: AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL_DYNAMODB still
 * point a client at a local stand-in.
 *
 * The bundles go one step further (see envOnlyCredentialAlias): the default chain is replaced at
 * build time, which is what takes its code out of the function bundles.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type AwsCredentialIdentityProvider = ReturnType<typeof fromEnv>;

/**
 * Every AWS call the gate makes fails fast: two tries, 1 s to connect and 2 s to answer (the
 * time budget in shared/config/time-budget.ts counts on these figures).
 */
export const shortCallSettings = { maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 } } as const;

export function hasEnvironmentCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
}

/** A client's configuration with `credentials` from the environment when it has them. */
export function withEnvironmentCredentials<Config extends object>(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): Config & { credentials?: AwsCredentialIdentityProvider } {
  return hasEnvironmentCredentials(env) ? { ...config, credentials: fromEnv() } : config;
}
