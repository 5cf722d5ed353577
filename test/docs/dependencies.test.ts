/** The README says why each dependency is there: every package in package.json has its row, and no row names a package that is gone. */
import { read } from './doc-links';

const manifest = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const installed = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)];

/** The packages each row of the README's dependency table names (`/metrics` after `@scope/logger` means `@scope/metrics`). */
function packagesInTable(): string[] {
  const section = read('README.md').split('## Dependencies, and why each is there')[1] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => {
      const names = [...line.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
      const scope = names[0]!.includes('/') ? names[0]!.slice(0, names[0]!.indexOf('/')) : '';
      return names.map((name) => (name.startsWith('/') ? `${scope}${name}` : name));
    });
}

test('every dependency has a row in the README, saying why it is there', () => {
  const listed = new Set(packagesInTable());
  expect(installed.filter((name) => !listed.has(name))).toEqual([]);
});

test('the README lists no dependency that package.json does not have', () => {
  expect(packagesInTable().filter((name) => !installed.includes(name))).toEqual([]);
});
