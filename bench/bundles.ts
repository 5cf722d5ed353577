/** Bundles each Lambda entry as the CDK stack does and measures its size and load time. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const entries = ['functions/http/handler.ts', 'functions/connect/handler.ts', 'functions/scheduled/handler.ts'];

export async function measureBundles() {
  const root = path.join(__dirname, '..');
  const outdir = mkdtempSync(path.join(tmpdir(), 'gate-bundles-'));
  try {
    const results = [];
    for (const entry of entries.filter((file) => existsSync(path.join(root, file)))) {
      const outfile = path.join(outdir, `${path.basename(path.dirname(entry))}.js`);
      await build({
        entryPoints: [path.join(root, entry)],
        outfile,
        bundle: true,
        minify: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        mainFields: ['module', 'main'],
        logLevel: 'silent',
      });
      results.push({ entry, kib: Math.round(statSync(outfile).size / 1024), loadMs: loadTime(outfile) });
    }
    return results;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A fresh Node process requires the bundle: what a cold start pays for loading code. */
function loadTime(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const samples = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
  return Math.round(samples.sort((a, b) => a - b)[2]! * 10) / 10;
}
