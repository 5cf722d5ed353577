import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors';
import { type GateConfig, parseGateConfig } from './gate-config';

/** Reads and validates a config file; every problem is in the thrown ConfigError. */
export function loadGateConfigFile(file: string): GateConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the gate config ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseGateConfig(json, file);
}
