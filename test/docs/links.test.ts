/**
 * Nothing the docs or the comments cite points nowhere: every relative link of a page reaches a
 * file (and its #anchor a heading), every docs/ path a source comment names exists, and no
 * comment cites a file that is not in the repository.
 */
import path from 'node:path';
import { filesUnder, markdownPages, problemWith, read, relativeLinks, root } from './doc-links';

const pages = markdownPages();

test('the pages are found', () => {
  expect(pages).toEqual(expect.arrayContaining(['README.md', 'CHANGELOG.md', 'CONTRIBUTING.md', 'docs/callers/http-api.md']));
});

test.each(pages)('every relative link in %s reaches a file and heading', (page) => {
  const problems = relativeLinks(page).flatMap((target) => {
    const fromRoot = target.startsWith('#') ? `${page}${target}` : path.posix.normalize(path.posix.join(path.posix.dirname(page), target));
    if (fromRoot.startsWith('..')) return [`${target}: outside the repository`];
    const problem = problemWith(fromRoot);
    return problem ? [`${target}: ${problem}`] : [];
  });
  expect(problems).toEqual([]);
});

const sourceFolders = ['shared', 'functions', 'infra', 'local', 'bench', 'test', 'console', '.ci'];
const sources = [
  ...sourceFolders.flatMap((folder) => filesUnder(folder, ['.ts', '.js', '.mjs', '.html', '.css', '.sh', '.json'])),
  ...filesUnder('.ci', ['run', 'install-chromium']),
  'package.json',
  'cdk.json',
].filter((file) => !file.startsWith('test/fixtures/') && file !== 'test/docs/links.test.ts');

// Files outside the repository that comments once cited; spelled in parts so this file does not cite them.
const outside = ['gate-contract', 'vendor-contracts', 'toolchain-notes', 'peers', 'style'].map((name) => `${name}.md`);

test.each(sources)('%s cites no file outside the repository', (file) => {
  const text = read(file);
  const cited = outside.filter((name) => new RegExp(`(^|[^\\w/-])${name.replace('.', '\\.')}`).test(text));
  expect(cited).toEqual([]);
  expect(text).not.toMatch(/\(toolchain-notes\)|\bdesign: "/);
});

test.each(sources)('every docs/ page %s names exists, with its #anchor', (file) => {
  const named = [...read(file).matchAll(/\bdocs\/[\w./-]+\.(?:md|png)(?:#[\w-]+)?/g)].map((match) => match[0]);
  expect(named.flatMap((target) => problemWith(target) ?? [])).toEqual([]);
});

test.each(sources)('%s cites no README section the README does not have', (file) => {
  const cited = [...read(file).matchAll(/README(?:'s|,)? "([^"]+)"/g)].map((match) => match[1]!);
  const headings = new Set([...read('README.md').matchAll(/^#{1,6} (.+)$/gm)].map((match) => match[1]!.trim()));
  expect(cited.filter((heading) => !headings.has(heading))).toEqual([]);
});

test('a test of these checks: a missing page and a missing heading are problems', () => {
  expect(problemWith('docs/nowhere.md')).toMatch(/no file/);
  expect(problemWith('docs/callers/http-api.md#no-such-heading')).toMatch(/no heading/);
  expect(problemWith('docs/callers/http-api.md')).toBeUndefined();
  expect(root).toBe(path.join(__dirname, '..', '..'));
});
