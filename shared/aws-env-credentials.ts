/**
 * Stands in for `@aws-sdk/credential-provider-node` in the function bundles (an esbuild alias,
 * infra/constructs/gate-function.ts): every SDK client's runtime config imports that package's
 * `defaultProvider` statically, so without the alias the whole default chain (about 90 KiB with
 * its nested STS/SSO/sign-in clients) ships in every bundle although Lambda's credentials are
 * always in the environment. Outside the bundles (tests, local tools) the real chain is used.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type AwsCredentialIdentityProvider = ReturnType<typeof fromEnv>;

/** The default chain's signature, reduced to its first link: credentials from the environment. */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}): AwsCredentialIdentityProvider => fromEnv(init);
