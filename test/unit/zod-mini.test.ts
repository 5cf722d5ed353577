/**
 * Runtime schemas use zod/mini, never classic zod: classic builds its methods for every schema at
 * import and carries its JSON-Schema generator, which costs each function bundle about 50 KiB and
 * its cold start about 20 ms. zod/mini loads no locale, so every file that makes or parses a
 * schema imports shared/zod-locale.ts (English messages); without it a message is "Invalid input".
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(relative);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

/** The zod modules a source imports, e.g. `zod/mini`. */
function zodImports(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)['"](zod(?:\/[^'"]*)?)['"]/g)].map((match) => match[1]!);
}

/** What breaks the rule in one file. */
export function zodProblems(file: string, source: string): string[] {
  const problems = zodImports(source)
    .filter((module) => module !== 'zod/mini' && !(file === 'shared/zod-locale.ts' && module === 'zod/v4/locales'))
    .map((module) => `${file} imports "${module}" (use \`import * as z from 'zod/mini'\`)`);
  const makesSchemas = /^import \* as z from 'zod\/mini';/m.test(source) || /\.safeParse\(|\.parse\(/.test(source);
  const usesZod = zodImports(source).length > 0;
  if (usesZod && makesSchemas && file !== 'shared/zod-locale.ts' && !/^import '[./]+(?:shared\/)?zod-locale';$/m.test(source)) {
    problems.push(`${file} uses zod without importing shared/zod-locale.ts (messages would read "Invalid input")`);
  }
  return problems;
}

describe('zod', () => {
  it('is zod/mini with the English locale in every file that can reach a function bundle', () => {
    const files = ['shared', 'functions', 'infra', 'local'].flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(40);
    expect(files.flatMap((file) => zodProblems(file, readFileSync(path.join(root, file), 'utf8')))).toEqual([]);
  });

  it('catches classic zod and a schema file without the locale', () => {
    expect(zodProblems('shared/a.ts', "import * as z from 'zod';\nimport { z as y } from 'zod/v4';")).toEqual([
      'shared/a.ts imports "zod" (use `import * as z from \'zod/mini\'`)',
      'shared/a.ts imports "zod/v4" (use `import * as z from \'zod/mini\'`)',
    ]);
    expect(zodProblems('shared/b.ts', "import * as z from 'zod/mini';\nexport const s = z.string();")).toEqual([
      'shared/b.ts uses zod without importing shared/zod-locale.ts (messages would read "Invalid input")',
    ]);
    expect(zodProblems('shared/c.ts', "import * as z from 'zod/mini';\nimport './zod-locale';")).toEqual([]);
  });

  it('reports messages in English', async () => {
    const z = await import('zod/mini');
    await import('../../shared/zod-locale');
    expect(z.string().safeParse(1).error?.issues[0]?.message).toBe('Invalid input: expected string, received number');
  });
});
