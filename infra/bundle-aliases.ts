/**
 * Modules the function bundles replace at build time (esbuild `alias`), and their esbuild target:
 * used by constructs/gate-function.ts and by the bundle benchmark (bench/cdk-esbuild.ts) alike.
 *
 * `@aws-sdk/credential-provider-node` (the SDK's default credential chain, imported statically by
 * every client's runtime config) -> credentials from the environment only: in Lambda they are
 * always there, and the chain's profiles/SSO/STS/IMDS code and nested clients leave the bundle.
 *
 * `@smithy/core/event-streams` (imported lazily by the SDK's protocol classes, for operations
 * that stream events) -> a module that refuses: no Secrets Manager or DynamoDB operation the gate
 * calls streams events, and the event-stream serde and codec leave the bundle.
 *
 * `@aws-sdk/client-connect` and `@aws-sdk/client-sts` (loaded at the first Amazon Connect check)
 * -> only the client and commands the gate uses, from the packages' own ES modules: through a
 * lazy import, each package index's `export *` would keep every command (infra/bundle/).
 */
import { projectPath } from './project-paths';

/**
 * esbuild's target is the Node.js that runs the bundles: Lambda's nodejs24.x
 * (constructs/gate-function.ts). The bundle tests run the same files on the Node.js they run on,
 * 22 or later (package.json engines), which parses everything esbuild emits for node24 from this
 * code (docs/contributors/tooling.md#nodejs-24).
 */
export const bundleTarget = 'node24';

export const bundleAliases: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': projectPath('shared/aws-env-credentials.ts'),
  '@smithy/core/event-streams': projectPath('shared/aws-no-event-streams.ts'),
  '@aws-sdk/client-connect': projectPath('infra/bundle/aws-connect-client.mjs'),
  '@aws-sdk/client-sts': projectPath('infra/bundle/aws-sts-client.mjs'),
};

/** The same, as NodejsFunction `esbuildArgs` (`--alias:from=to`), less the aliases of packages left out of the bundle. */
export function bundleAliasArgs(leftOut: readonly string[] = []): Record<string, string[]> {
  return {
    '--alias': Object.entries(bundleAliases)
      .filter(([from]) => !leftOut.includes(from))
      .map(([from, to]) => `${from}=${to}`),
  };
}
