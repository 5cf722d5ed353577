/**
 * Synthesizes the gate app the way `cdk synth` does: the same context as cdk.json (a test App
 * does not read it), the same buildGateApp, the cdk-nag packs registered. Bundling is skipped
 * unless asked for, because template tests do not need the code and bundling is the slow part.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildGateApp } from '../../../infra/gate-app';
import { projectPath } from '../../../infra/project-paths';
import type { TransferGateStack } from '../../../infra/transfer-gate-stack';

export const cdkJsonContext: Record<string, unknown> = JSON.parse(readFileSync(projectPath('cdk.json'), 'utf8')).context;

const createdDirs: string[] = [];
// Cloud assemblies with bundles are megabytes each: remove them when the test file is done.
afterAll(() => {
  for (const dir of createdDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory for one test file's configs and cloud assembly, removed after the file. */
export function tempDir(prefix = 'transfer-gate-infra-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  createdDirs.push(dir);
  return dir;
}

/** Writes a gate.config.json (any JSON, valid or not) and returns its path. */
export function writeConfigFile(dir: string, config: unknown, name = 'gate.config.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export interface SynthOptions {
  configFile: string;
  /** Context on top of cdk.json's (operator settings). */
  context?: Record<string, unknown>;
  /** Run esbuild and the config copy, as `cdk synth` does. @default false */
  bundle?: boolean;
  outdir?: string;
}

export interface SynthResult {
  app: App;
  stack: TransferGateStack;
  assembly: CloudAssembly;
  template: Template;
}

export function synthGate(options: SynthOptions): SynthResult {
  const context: Record<string, unknown> = { ...cdkJsonContext, ...options.context, config: options.configFile };
  if (!options.bundle) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ outdir: options.outdir ?? tempDir('transfer-gate-cdk-out-'), context });
  const stack = buildGateApp(app);
  // Runs the validation plugins (cdk-nag) too; in a test (NODE_ENV=test) any finding throws here.
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getStackByName(stack.stackName).template);
  return { app, stack, assembly, template };
}
