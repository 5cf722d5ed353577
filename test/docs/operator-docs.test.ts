/**
 * docs/operators/settings.md lists every CDK setting with its default, and docs/on-call/alarms.md
 * every alarm the edge adds: a new setting or alarm without its page fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { operatorSettingKeys, readOperatorSettings } from '../../infra/settings';

const root = path.join(__dirname, '..', '..');
const page = (file: string) => readFileSync(path.join(root, file), 'utf8');

test('every setting has a row in docs/operators/settings.md, with its default', () => {
  const rows = new Map(
    page('docs/operators/settings.md')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => [/^\| `(\w+)`/.exec(line)![1]!, line.split('|')[2]!.trim()]),
  );
  const defaults = readOperatorSettings(() => undefined) as Record<string, unknown>;
  for (const key of [...operatorSettingKeys, 'config']) {
    expect(rows.has(key)).toBe(true);
    if (defaults[key] !== undefined) expect(rows.get(key)).toBe(`\`${String(defaults[key])}\``);
  }
});

test('docs/on-call/alarms.md explains the edge alarms by their construct ids', () => {
  const text = page('docs/on-call/alarms.md');
  for (const alarm of ['UnauthorizedRequests', 'WebAclBlockedRequests']) expect(text).toContain(`## \`${alarm}\``);
});
