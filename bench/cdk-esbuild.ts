/**
 * The esbuild options CDK's NodejsFunction passes for infra/constructs/gate-function.ts
 * (`gateBundling`): bundled, minified, CJS, mainFields module/main, AWS SDK inside
 * (bundleAwsSDK: true, so nothing external), source map beside the file without sources.
 * Keep in step with gateBundling: the bench measures what CDK ships.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

export const cdkEsbuildOptions: BuildOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  format: 'cjs',
  mainFields: ['module', 'main'],
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'silent',
  metafile: true,
};

/** The environment the function runs with (gate-function.ts sets NODE_OPTIONS to this). */
export const lambdaNodeOptions = ['--enable-source-maps'];

/**
 * The build-time aliases of the tree at `root` (infra/bundle-aliases.ts), so that a `--before`
 * tree is built the way its own CDK code built it; none when the tree has no such file.
 */
export function bundleAliasesOf(root: string): Record<string, string> {
  return { ...bundleSettingsOf(root).bundleAliases };
}

/** The esbuild target the tree at `root` builds for; node22 for a tree from before it was said (its CDK picked it from nodejs22.x). */
export function bundleTargetOf(root: string): string {
  return bundleSettingsOf(root).bundleTarget ?? 'node22';
}

function bundleSettingsOf(root: string): { bundleAliases?: Record<string, string>; bundleTarget?: string } {
  const file = path.join(root, 'infra', 'bundle-aliases.ts');
  if (!existsSync(file)) return {};
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file of another tree, loaded by path (tsx compiles it)
  return require(file) as { bundleAliases?: Record<string, string>; bundleTarget?: string };
}
