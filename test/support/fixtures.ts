import { readFileSync } from 'node:fs';
import path from 'node:path';

const fixturesDir = path.join(__dirname, '..', 'fixtures');

/** A recorded or documented vendor body from test/fixtures, as text. */
export function fixtureText(name: string): string {
  return readFileSync(path.join(fixturesDir, name), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}
