/**
 * docs/operators/settings.md lists every CDK setting with its default, and docs/on-call/alarms.md
 * every alarm the edge adds: a new setting or alarm without its page fails here, and a setting
 * the pages name that the stack does not read fails too.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { operatorSettingKeys, readOperatorSettings } from '../../infra/settings';
import { markdownPages } from './doc-links';

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

test('every setting the pages name (a settings.md row, a `-c key=` anywhere) is one infra/settings.ts reads', () => {
  const known = new Set<string>([...operatorSettingKeys, 'config']);
  const rows = page('docs/operators/settings.md')
    .split('\n')
    .flatMap((line) => /^\| `(\w+)`/.exec(line)?.[1] ?? []);
  const given = markdownPages().flatMap((file) => [...page(file).matchAll(/(?:^|\s)-c (\w+)=/g)].map((match) => match[1]!));
  expect([...rows, ...given].filter((key) => key !== 'key' && !known.has(key))).toEqual([]);
  expect(given.length).toBeGreaterThan(3);
});
