/**
 * What the docs tests read: the project's markdown pages, their headings as GitHub anchors them,
 * their relative links, and the source files whose comments cite pages.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const root = path.join(__dirname, '..', '..');

const skippedFolders = new Set(['node_modules', '.git', 'cdk.out', 'coverage', 'secrets']);

/** Files under `folder` (relative to the root) whose names end in one of `extensions`. */
export function filesUnder(folder: string, extensions: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const name of readdirSync(path.join(root, relative))) {
      const child = path.posix.join(relative, name);
      if (statSync(path.join(root, child)).isDirectory()) {
        if (!skippedFolders.has(name)) walk(child);
      } else if (extensions.some((extension) => name.endsWith(extension))) found.push(child);
    }
  };
  if (existsSync(path.join(root, folder))) walk(folder);
  return found.sort();
}

/** The pages a reader reaches: README, CONTRIBUTING, CHANGELOG and everything under docs/ and bench/. */
export function markdownPages(): string[] {
  const top = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md'].filter((file) => existsSync(path.join(root, file)));
  return [...top, ...filesUnder('docs', ['.md']), ...filesUnder('bench', ['.md'])];
}

export const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

/** The text outside ``` fences (indented code stays: it holds no links by convention). */
export function withoutFences(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a page offers, numbered as GitHub numbers repeated headings. */
export function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutFences(read(file)).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(match[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Relative links of a page: `[text](target)` and `![alt](target)`, outside code fences. */
export function relativeLinks(file: string): string[] {
  const text = withoutFences(read(file)).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** Whether `target` (a path from the root, with an optional #anchor) names a file and heading that exist. */
export function problemWith(target: string): string | undefined {
  const [file = '', anchor] = target.split('#');
  if (!existsSync(path.join(root, file))) return `no file ${file}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!file.endsWith('.md')) return `an anchor on ${file}, which is no page`;
  return anchorsOf(file).has(anchor) ? undefined : `no heading #${anchor} in ${file}`;
}
