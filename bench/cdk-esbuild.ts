/**
 * The esbuild options CDK's NodejsFunction passes for infra/constructs/gate-function.ts
 * (`gateBundling`): bundled, minified, node22, CJS, mainFields module/main, AWS SDK inside
 * (bundleAwsSDK: true, so nothing external), source map beside the file without sources.
 * Keep in step with gateBundling: the bench measures what CDK ships.
 */
import type { BuildOptions } from 'esbuild';

export const cdkEsbuildOptions: BuildOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  mainFields: ['module', 'main'],
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'silent',
  metafile: true,
};

/** The environment the function runs with (gate-function.ts sets NODE_OPTIONS to this). */
export const lambdaNodeOptions = ['--enable-source-maps'];
