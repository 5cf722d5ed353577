import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGateConfigFile } from '../../../shared/config/load-config';
import { ConfigError } from '../../../shared/errors';

function loadError(file: string): ConfigError {
  try {
    loadGateConfigFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loading the config file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gate-config-'));

  it('keeps the read error as the cause of an unreadable file', () => {
    const error = loadError(path.join(dir, 'missing.json'));
    expect(error.message).toMatch(/cannot read the gate config .*ENOENT/);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('keeps the parse error as the cause of a file that is not JSON', () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ not json');
    const error = loadError(file);
    expect(error.message).toMatch(/is not valid JSON/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });
});
