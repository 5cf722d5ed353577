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

test('every relative link of every page reaches a file and heading', () => {
  const problems = pages.flatMap((page) =>
    relativeLinks(page).flatMap((target) => {
      const fromRoot = target.startsWith('#') ? `${page}${target}` : path.posix.normalize(path.posix.join(path.posix.dirname(page), target));
      if (fromRoot.startsWith('..')) return [`${page}: ${target}: outside the repository`];
      const problem = problemWith(fromRoot);
      return problem ? [`${page}: ${target}: ${problem}`] : [];
    }),
  );
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

test('no source file cites a file outside the repository', () => {
  const citing = sources.flatMap((file) => {
    const text = read(file);
    const cited = outside.filter((name) => new RegExp(`(^|[^\\w/-])${name.replace('.', '\\.')}`).test(text));
    if (/\(toolchain-notes\)|\bdesign: "/.test(text)) cited.push('a design note');
    // A bare "section 8" cited a numbered spec outside the repository; an RFC's sections are fine.
    for (const [citation] of text.matchAll(/(?<!RFC \d+ )\b[Ss]ections? \d+\b/g)) cited.push(citation);
    return cited.map((name) => `${file}: ${name}`);
  });
  expect(citing).toEqual([]);
});

test('every docs/ page a source file names exists, with its #anchor', () => {
  const problems = sources.flatMap((file) =>
    [...read(file).matchAll(/\bdocs\/[\w./-]+\.(?:md|png)(?:#[\w-]+)?/g)].flatMap(([target]) => {
      const problem = problemWith(target);
      return problem ? [`${file}: ${problem}`] : [];
    }),
  );
  expect(problems).toEqual([]);
});

test('no source file or page cites a README section the README does not have', () => {
  const headings = new Set([...read('README.md').matchAll(/^#{1,6} (.+)$/gm)].map((match) => match[1]!.trim()));
  const cited = [...sources, ...pages].flatMap((file) =>
    [...read(file).matchAll(/README(?:'s|,)? \(?"([^"]+)"/g)].filter(([, heading]) => !headings.has(heading!)).map(([citation]) => `${file}: ${citation}`),
  );
  expect(cited).toEqual([]);
});

test('a test of these checks: a missing page and a missing heading are problems', () => {
  expect(problemWith('docs/nowhere.md')).toMatch(/no file/);
  expect(problemWith('docs/callers/http-api.md#no-such-heading')).toMatch(/no heading/);
  expect(problemWith('docs/callers/http-api.md')).toBeUndefined();
  expect(root).toBe(path.join(__dirname, '..', '..'));
});

test('the README links every page under docs/, so each reader is one click from theirs', () => {
  const linked = new Set(relativeLinks('README.md').map((target) => path.posix.normalize(target.split('#')[0]!)));
  const pagesUnderDocs = pages.filter((page) => page.startsWith('docs/'));
  expect(pagesUnderDocs.filter((page) => !linked.has(page))).toEqual([]);
  expect(['CONTRIBUTING.md', 'CHANGELOG.md'].filter((page) => !linked.has(page))).toEqual([]);
});

test('every source file a page names in backticks exists', () => {
  const sourcePath = /`((?:shared|functions|infra|local|bench|test|console|\.ci)\/[\w./-]+)`/g;
  const missing = pages.flatMap((page) =>
    [...read(page).matchAll(sourcePath)]
      .map(([, file]) => file!)
      .filter((file) => !/acme|\.\.\./.test(file) && problemWith(file.replace(/\/$/, '')) !== undefined)
      .map((file) => `${page}: ${file}`),
  );
  expect(missing).toEqual([]);
});
