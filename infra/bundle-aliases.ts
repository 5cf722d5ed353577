/**
 * Modules the function bundles replace at build time (esbuild `alias`), used by
 * constructs/gate-function.ts and by the bundle benchmark (bench/cdk-esbuild.ts) alike.
 *
 * `@aws-sdk/credential-provider-node` (the SDK's default credential chain, imported statically by
 * every client's runtime config) -> credentials from the environment only: in Lambda they are
 * always there, and the chain's profiles/SSO/STS/IMDS code and nested clients leave the bundle.
 */
import { projectPath } from './project-paths';

export const bundleAliases: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': projectPath('shared/aws-env-credentials.ts'),
};

/** The same, as NodejsFunction `esbuildArgs` (`--alias:from=to`). */
export function bundleAliasArgs(): Record<string, string[]> {
  return { '--alias': Object.entries(bundleAliases).map(([from, to]) => `${from}=${to}`) };
}
