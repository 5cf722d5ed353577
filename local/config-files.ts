/**
 * Which config and secrets files a local command uses, the same for `npm start` and
 * `npm run check` (docs/operators/running-locally.md, "Files and flags"): `--config` or
 * `GATE_CONFIG_FILE` first, else gate.config.json in the project folder when present, else the
 * demo. The answer says where it came from, for the banner.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const projectRoot = path.join(__dirname, '..');
export const demoConfigFile = path.join(__dirname, 'demo', 'gate.config.json');
export const demoSecretsFile = path.join(__dirname, 'demo', 'secrets.json');

export interface ChosenFile {
  file: string;
  /** Where the choice came from: a flag, an environment variable, or a default. */
  from: string;
}

export interface ChosenConfig extends ChosenFile {
  /** The demo config (by default or by name): its simulators move to free ports. */
  demo: boolean;
}

export function chooseConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv, root = projectRoot): ChosenConfig {
  const chosen: ChosenFile = flag
    ? { file: flag, from: '--config' }
    : env.GATE_CONFIG_FILE
      ? { file: env.GATE_CONFIG_FILE, from: 'GATE_CONFIG_FILE' }
      : existsSync(path.join(root, 'gate.config.json'))
        ? { file: path.join(root, 'gate.config.json'), from: 'gate.config.json in the project folder' }
        : { file: demoConfigFile, from: 'the demo, as no gate.config.json is in the project folder' };
  return { ...chosen, demo: path.resolve(chosen.file) === demoConfigFile };
}

/**
 * `--secrets` or `GATE_SECRETS_FILE`, else the demo secrets when `demoDefault` (always for
 * `npm start`; for `npm run check` only with the demo config, which otherwise reads Secrets Manager).
 */
export function chooseSecretsFile(flag: string | undefined, env: NodeJS.ProcessEnv, demoDefault: boolean): ChosenFile | undefined {
  if (flag) return { file: flag, from: '--secrets' };
  if (env.GATE_SECRETS_FILE) return { file: env.GATE_SECRETS_FILE, from: 'GATE_SECRETS_FILE' };
  return demoDefault ? { file: demoSecretsFile, from: 'the demo secrets, as no --secrets or GATE_SECRETS_FILE was given' } : undefined;
}

/** A path as a person reads it: relative to the current folder when inside it. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.resolve(file);
}
