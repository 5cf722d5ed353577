/**
 * The gate.config.json the stack is built from: the project root's, or the file named by the
 * context key `config` (`-c config=FILE`, relative to the directory cdk runs in). Validated with
 * the functions' own schema, so synth stops on the config a cold start would reject.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { GateConfig } from '../shared/config/gate-config';
import { loadGateConfigFile } from '../shared/config/load-config';
import { ConfigError } from '../shared/errors';
import { projectPath } from './project-paths';

export interface StackConfig {
  /** Absolute path of the validated file; it is bundled with every function as gate.config.json. */
  readonly file: string;
  readonly config: GateConfig;
}

export const defaultConfigFile = projectPath('gate.config.json');

export interface LoadStackConfigOptions {
  /** Where a relative `-c config=FILE` is resolved. @default process.cwd() */
  readonly cwd?: string;
  /** The file used without `-c config`. @default the project root's gate.config.json */
  readonly defaultFile?: string;
}

export function loadStackConfig(contextValue: unknown, options: LoadStackConfigOptions = {}): StackConfig {
  const { cwd = process.cwd(), defaultFile = defaultConfigFile } = options;
  if (contextValue !== undefined && (typeof contextValue !== 'string' || contextValue.trim() === '')) {
    throw new ConfigError(`CDK context "config" must be a file path (got ${JSON.stringify(contextValue)})`);
  }
  const file = contextValue ? path.resolve(cwd, contextValue) : defaultFile;
  if (!contextValue && !existsSync(file)) {
    throw new ConfigError(
      `no gate config at ${file}: create gate.config.json at the project root (see docs/operators/deploy.md) or name one with -c config=FILE`,
    );
  }
  return { file, config: loadGateConfigFile(file) };
}
