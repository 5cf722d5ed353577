/**
 * Cold start: the three function bundles built exactly as CDK builds them, next to the baseline
 * bundle (bench/baseline-entry.ts) and, with `--before <ref>`, the same bundles built from that
 * commit. Size, composition by package (esbuild metafile) and load time: a whole process (spawn
 * node, require the bundle, exit), medians over interleaved rounds, so that machine noise falls
 * on every bundle alike.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Metafile, build } from 'esbuild';
import { bundleAliasesOf, bundleTargetOf, cdkEsbuildOptions, lambdaNodeOptions } from './cdk-esbuild';

export const functionEntries = ['functions/http/handler.ts', 'functions/connect/handler.ts', 'functions/scheduled/handler.ts'];
const root = path.join(__dirname, '..');

export interface BuiltBundle {
  name: string;
  file: string;
  bytes: number;
  composition: Record<string, number>;
  packages: Record<string, number>;
}

export interface BundleResult extends Omit<BuiltBundle, 'file'> {
  kib: number;
  /** Inside the process: the require() alone, without node's own start-up. */
  requireMs: number;
  requireRatio: number;
  /** The require()'s CPU time (user + system), which a shared machine moves less than wall time. Optional: older results lack it. */
  requireCpuMs?: number;
  requireCpuRatio?: number;
  loadMs: number;
  loadMsSourceMaps: number;
  ratio: number;
  ratioSourceMaps: number;
}

export interface ColdResult {
  rounds: number;
  nodeAloneMs: number;
  bundles: BundleResult[];
}

async function buildOne(name: string, entry: string, outdir: string, absWorkingDir: string, external: string[] = []): Promise<BuiltBundle> {
  const outfile = path.join(outdir, `${name.replace(/[^\w.-]+/g, '-')}.js`);
  const result = await build({
    ...cdkEsbuildOptions,
    target: bundleTargetOf(absWorkingDir),
    alias: bundleAliasesOf(absWorkingDir),
    external,
    entryPoints: [entry],
    outfile,
    absWorkingDir,
  });
  const { composition, packages } = compose(result.metafile!, outfile, absWorkingDir);
  return { name, file: outfile, bytes: statSync(outfile).size, composition, packages };
}

/** Bytes in the output by package, and by the groups the issue talks about. */
function compose(metafile: Metafile, outfile: string, absWorkingDir: string) {
  // The metafile names files relative to the working directory of the build.
  const output = Object.entries(metafile.outputs).find(([file]) => path.resolve(absWorkingDir, file) === outfile);
  const packages: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(output?.[1].inputs ?? {})) {
    const name = packageOf(input);
    packages[name] = (packages[name] ?? 0) + bytesInOutput;
  }
  const composition: Record<string, number> = {};
  for (const [name, bytes] of Object.entries(packages)) {
    const group = groupOf(name);
    composition[group] = (composition[group] ?? 0) + bytes;
  }
  return { composition, packages };
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input.slice(input.lastIndexOf('node_modules/')));
  return match ? match[1]! : '(own code)';
}

export function groupOf(name: string): string {
  if (name === '(own code)') return 'own code';
  // mnemonist and obliterator: the DynamoDB client's endpoint cache.
  if (/^@(aws-sdk|smithy|aws-crypto|aws)\//.test(name) || ['tslib', 'fast-xml-parser', 'strnum', 'bowser', 'mnemonist', 'obliterator'].includes(name))
    return 'aws-sdk/smithy';
  if (name.startsWith('@aws-lambda-powertools/')) return 'powertools';
  if (name.startsWith('@middy/')) return 'middy';
  if (name === 'zod') return 'zod';
  if (name === 'jose') return 'jose';
  return 'other';
}

async function buildTree(prefix: string, tree: string, outdir: string): Promise<BuiltBundle[]> {
  const built = [];
  for (const entry of functionEntries.filter((file) => existsSync(path.join(tree, file)))) {
    built.push(await buildOne(`${prefix}${path.basename(path.dirname(entry))}`, path.join(tree, entry), outdir, tree));
  }
  return built;
}

/** A worktree of `ref` in a temp dir, node_modules linked to this one's. */
function checkoutBefore(ref: string): { tree: string; remove: () => void } {
  const tree = mkdtempSync(path.join(tmpdir(), 'gate-before-'));
  execFileSync('git', ['-C', root, 'worktree', 'add', '--detach', tree, ref], { stdio: 'ignore' });
  symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'));
  return { tree, remove: () => execFileSync('git', ['-C', root, 'worktree', 'remove', '--force', tree], { stdio: 'ignore' }) };
}

/**
 * A fresh node process that requires `file` (or nothing) and exits: its wall time, and the time
 * of the require() itself as the process saw it. NODE_PATH lets a bundle with the SDK external
 * find it in this project's node_modules, as Lambda's runtime provides its own copy.
 */
function processMs(file: string | undefined, nodeOptions: string[]): { wall: number; require: number; requireCpu: number } {
  const script = file
    ? `const c=process.cpuUsage(),t=process.hrtime.bigint();require(${JSON.stringify(file)});` +
      `const w=Number(process.hrtime.bigint()-t)/1e6,u=process.cpuUsage(c);process.stdout.write(w+' '+(u.user+u.system)/1e3)`
    : 'process.stdout.write("0 0")';
  const env = { PATH: process.env.PATH, AWS_REGION: 'us-east-1', NODE_PATH: path.join(root, 'node_modules') };
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [...nodeOptions, '-e', script], { stdio: ['ignore', 'pipe', 'ignore'], env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`loading ${file} failed (exit ${run.status})`);
  const [required, requireCpu] = run.stdout.split(' ').map(Number);
  return { wall, require: required!, requireCpu: requireCpu! };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const round1 = (value: number) => Math.round(value * 10) / 10;

export async function measureCold(options: { rounds?: number; before?: string } = {}): Promise<ColdResult> {
  const rounds = options.rounds ?? 15;
  const outdir = mkdtempSync(path.join(tmpdir(), 'gate-bundles-'));
  const before = options.before ? checkoutBefore(options.before) : undefined;
  try {
    const built = [
      await buildOne('baseline', path.join(__dirname, 'baseline-entry.ts'), outdir, root),
      // The libraries every function carries by the project's rules, without the gate's own code (floor-entry.ts).
      await buildOne('library floor', path.join(__dirname, 'floor-entry.ts'), outdir, root),
      ...(await buildTree('', root, outdir)),
      // bundleAwsSDK: false, for comparison: CDK then leaves @aws-sdk/* to the runtime's copy.
      await buildOne('http, AWS SDK external', path.join(root, functionEntries[0]!), outdir, root, ['@aws-sdk/*']),
      ...(before ? await buildTree(`before ${options.before} `, before.tree, outdir) : []),
    ];
    const plain = built.map(() => [] as number[]);
    const required = built.map(() => [] as number[]);
    const requiredCpu = built.map(() => [] as number[]);
    const mapped = built.map(() => [] as number[]);
    const alone: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      alone.push(processMs(undefined, []).wall);
      built.forEach((bundle, index) => {
        const run = processMs(bundle.file, []);
        plain[index]!.push(run.wall);
        required[index]!.push(run.require);
        requiredCpu[index]!.push(run.requireCpu);
        mapped[index]!.push(processMs(bundle.file, lambdaNodeOptions).wall);
      });
    }
    const base = { plain: median(plain[0]!), required: median(required[0]!), requiredCpu: median(requiredCpu[0]!), mapped: median(mapped[0]!) };
    return {
      rounds,
      nodeAloneMs: round1(median(alone)),
      bundles: built.map(({ file: _file, ...bundle }, index) => ({
        ...bundle,
        kib: Math.round(bundle.bytes / 1024),
        requireMs: round1(median(required[index]!)),
        requireRatio: Math.round((median(required[index]!) / base.required) * 100) / 100,
        requireCpuMs: round1(median(requiredCpu[index]!)),
        requireCpuRatio: Math.round((median(requiredCpu[index]!) / base.requiredCpu) * 100) / 100,
        loadMs: round1(median(plain[index]!)),
        loadMsSourceMaps: round1(median(mapped[index]!)),
        ratio: Math.round((median(plain[index]!) / base.plain) * 100) / 100,
        ratioSourceMaps: Math.round((median(mapped[index]!) / base.mapped) * 100) / 100,
      })),
    };
  } finally {
    before?.remove();
    rmSync(outdir, { recursive: true, force: true });
  }
}
