/**
 * Dependencies point one way (docs/contributors/architecture.md#layers): a file under shared/ imports only files of its
 * own layer or a lower one, and nothing outside shared/ (local/ and infra/ code must never reach
 * a Lambda bundle). A new file under shared/ must be given a layer here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

/** Lowest first. A path matches the longest prefix listed. */
const layers: ReadonlyArray<readonly [number, string, readonly string[]]> = [
  [
    1,
    'base',
    [
      'shared/errors.ts',
      'shared/logger.ts',
      'shared/secret-arn.ts',
      'shared/config/fields.ts',
      'shared/config/object-rules.ts',
      'shared/config/time-budget.ts',
      'shared/config/call-policy.ts',
      'shared/config/destinations.ts',
      'shared/geo/us-states.ts',
      'shared/concurrency.ts',
      'shared/aws-clients.ts',
      'shared/aws-env-credentials.ts',
      'shared/aws-no-event-streams.ts',
      'shared/zod-locale.ts',
    ],
  ],
  [2, 'outbound', ['shared/vendors/', 'shared/secrets.ts']],
  // Pure; below config because the config composes its schema.
  [3, 'schedule', ['shared/schedule/']],
  // Pure data and lookups (USPS codes, area codes); below config, which validates states with it.
  [3, 'geo', ['shared/geo/']],
  [4, 'config', ['shared/config/']],
  [5, 'state', ['shared/state/']],
  [6, 'core', ['shared/gate/', 'shared/gate.ts', 'shared/routes/']],
  // openapi.json: generated from the route table, served as committed.
  [7, 'inbound', ['shared/api/', 'shared/check/', 'shared/connect/', 'shared/scheduled/', 'shared/callers.ts', 'shared/runtime.ts', 'openapi.json']],
];

export function layerOf(file: string): { rank: number; name: string } | undefined {
  let best: { rank: number; name: string; length: number } | undefined;
  for (const [rank, name, prefixes] of layers) {
    for (const prefix of prefixes) {
      const matches = prefix.endsWith('/') ? file.startsWith(prefix) : file === prefix;
      if (matches && (!best || prefix.length > best.length)) best = { rank, name, length: prefix.length };
    }
  }
  return best && { rank: best.rank, name: best.name };
}

/** Relative module specifiers of every import/export-from/dynamic import/require in `source`. */
export function relativeImports(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  return [...source.matchAll(pattern)].map((match) => match[1]!);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

function resolveImport(from: string, specifier: string): string {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  return /\.(ts|json)$/.test(target) ? target : `${target}.ts`;
}

/** Every import that runs upward or out of shared/, as "from -> to (why)". */
export function upwardImports(files: ReadonlyArray<{ file: string; source: string }>): string[] {
  const problems: string[] = [];
  for (const { file, source } of files) {
    const own = layerOf(file);
    if (!own) {
      problems.push(`${file} has no layer (add it to the layer list in test/unit/architecture.test.ts)`);
      continue;
    }
    for (const specifier of relativeImports(source)) {
      const target = resolveImport(file, specifier);
      const theirs = layerOf(target);
      if (!theirs && !target.startsWith('shared/')) problems.push(`${file} -> ${target} (outside shared/)`);
      else if (theirs && theirs.rank > own.rank) problems.push(`${file} (${own.name}) -> ${target} (${theirs.name}): runs upward`);
    }
  }
  return problems;
}

describe('the import graph of shared/', () => {
  it('has no import that runs upward or leaves shared/', () => {
    const files = sourceFiles('shared')
      .filter((file) => file.endsWith('.ts'))
      .map((file) => ({ file, source: readFileSync(path.join(root, file), 'utf8') }));
    expect(files.length).toBeGreaterThan(20);
    expect(upwardImports(files)).toEqual([]);
  });

  it('catches an upward import, an import out of shared/ and a file with no layer', () => {
    expect(
      upwardImports([
        { file: 'shared/vendors/aloware.ts', source: "import { Gate } from '../gate';\nimport type { Runtime } from '../runtime';" },
        { file: 'shared/config/gate-config.ts', source: "export { startSimulatorsFor } from '../../local/simulators';" },
        {
          file: 'shared/api/routes.ts',
          source: "import { Gate } from '../gate';\nconst x = await import('../errors');\nimport doc from '../../openapi.json';",
        },
        { file: 'shared/vendors/port.ts', source: "import doc from '../../openapi.json';" },
        { file: 'shared/elsewhere.ts', source: '' },
      ]),
    ).toEqual([
      'shared/vendors/aloware.ts (outbound) -> shared/gate.ts (core): runs upward',
      'shared/vendors/aloware.ts (outbound) -> shared/runtime.ts (inbound): runs upward',
      'shared/config/gate-config.ts -> local/simulators.ts (outside shared/)',
      'shared/vendors/port.ts (outbound) -> openapi.json (inbound): runs upward',
      'shared/elsewhere.ts has no layer (add it to the layer list in test/unit/architecture.test.ts)',
    ]);
  });

  it('reads multi-line imports and side-effect imports', () => {
    expect(relativeImports("import {\n  a,\n  b,\n} from './x';\nimport './y';\nexport * from \"../z\";")).toEqual(['./x', './y', '../z']);
  });
});
