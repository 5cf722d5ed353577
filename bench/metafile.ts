/**
 * What one bundle is made of: builds an entry exactly as the bundle benchmark does (the CDK
 * esbuild options and this tree's aliases, bench/cdk-esbuild.ts) and prints its size and its
 * largest inputs, in KiB of minified output.
 *
 *   npx tsx bench/metafile.ts functions/http/handler.ts              # the 40 largest inputs
 *   npx tsx bench/metafile.ts functions/http/handler.ts zod 100      # only paths containing "zod"
 */
import path from 'node:path';
import { build } from 'esbuild';
import { bundleAliasesOf, bundleTargetOf, cdkEsbuildOptions } from './cdk-esbuild';

async function main() {
  const [entry = 'functions/http/handler.ts', filter = '', count = '40'] = process.argv.slice(2);
  const root = path.join(__dirname, '..');
  const result = await build({
    ...cdkEsbuildOptions,
    entryPoints: [path.join(root, entry)],
    absWorkingDir: root,
    write: false,
    outfile: 'index.js',
    alias: bundleAliasesOf(root),
    target: bundleTargetOf(root),
  });
  const output = Object.values(result.metafile!.outputs).find((candidate) => candidate.entryPoint)!;
  const kib = (bytes: number) => (bytes / 1024).toFixed(1).padStart(6);
  console.log(`${kib(output.bytes)}  ${entry} (total)`);
  const inputs = Object.entries(output.inputs).filter(([file]) => file.includes(filter));
  inputs.sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
  for (const [file, { bytesInOutput }] of inputs.slice(0, Number(count))) console.log(`${kib(bytesInOutput)}  ${file}`);
}

void main();
