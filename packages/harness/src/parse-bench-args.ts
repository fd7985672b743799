import type { Metric } from '@hnswlab/core';
import type { MatrixBlock } from './matrix.js';
import { PEER_NAMES, type PeerName } from './peers/peer.js';
import { PRESETS } from './presets.js';

/** What `hnswlab bench` was asked to do. */
export interface BenchArgs {
  blocks: MatrixBlock[];
  preset: string | null;
  out: string;
  shard: { index: number; count: number } | null;
  /** Install GloVe on demand when it is asked for and missing (default true). */
  install: boolean;
  /** Reuse the finished jobs of an interrupted run with the same --out (its .partial.jsonl). */
  resume: boolean;
  /** Progress output: 'auto' (bar on a TTY), 'plain', 'none'. */
  progress: 'auto' | 'plain' | 'none';
}

/** The flags of `hnswlab bench`, for the help text. */
export const BENCH_FLAGS: ReadonlyArray<[string, string]> = [
  ['--preset NAME', `a named matrix: ${Object.keys(PRESETS).join(', ')} (default: default)`],
  ['--kernels LIST', 'js,wasm,native, best, or module specifiers'],
  ['--strategies LIST', 'sequential,batched,parallel,segmented,rounds'],
  ['--datasets LIST', 'clustered,uniform,glove, fvecs:BASE[,QUERIES[,GT]], bvecs:…, npy:BASE[,QUERIES], hdf5:FILE'],
  ['--sizes LIST', 'n values, e.g. 10000,100000 (k and M suffixes work: 10k,1M)'],
  ['--dims LIST', 'dimensions of synthetic data, e.g. 32,128,512'],
  ['--metric NAME', 'l2 | cosine | ip'],
  ['--M N', 'links per node (level 0 keeps 2M)'],
  ['--ef-construction N', 'build beam width'],
  ['--ef LIST', 'search sweep, e.g. 10,20,40,80'],
  ['--k N', 'neighbours per query (recall@k)'],
  ['--queries N', 'queries per data set'],
  ['--threads LIST', 'worker threads for parallel strategies, e.g. 1,2'],
  ['--repeat N', 'timed builds per cell (median reported)'],
  ['--seed N', 'data, query and level seed'],
  ['--peers LIST', 'hnswlib-node,usearch or none'],
  ['--shard i/n', 'run the i-th of n slices of the job list (join with hnswlab merge)'],
  ['--out DIR', 'where bench.json, bench.md and bench.html go (default bench-out)'],
  ['--no-install', 'do not install GloVe on demand; print the command instead'],
  ['--resume', 'skip the jobs an interrupted run with the same --out already finished'],
  ['--progress MODE', 'auto | plain | none'],
];

const GRID = {
  '--kernels': 'kernels',
  '--strategies': 'strategies',
  '--datasets': 'datasets',
  '--sizes': 'sizes',
  '--dims': 'dims',
} as const;

function count(s: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.trim());
  if (!m) throw new RangeError(`${flag}: '${s}' is not a number`);
  const v = Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1);
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${flag}: '${s}' is not a whole number`);
  return v;
}

function list(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/**
 * Parse `hnswlab bench` flags. Without --preset, grid flags (--kernels, --strategies, --datasets,
 * --sizes, --dims) describe one block that starts from the default preset's main block; with a preset
 * (or none of them), every flag given overrides that field in each of the preset's blocks.
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const flags = new Map<string, string>();
  const bool = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === '--') continue;
    if (!a.startsWith('--')) throw new RangeError(`unexpected argument '${a}' (flags start with --; see hnswlab help)`);
    let value: string | undefined;
    const eq = a.indexOf('=');
    if (eq > 0) {
      value = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    if (a === '--no-install' || a === '--resume') {
      bool.add(a);
      continue;
    }
    if (!BENCH_FLAGS.some(([f]) => f.split(' ')[0] === a)) throw new RangeError(`unknown flag ${a} (see hnswlab help)`);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new RangeError(`${a} needs a value`);
    }
    flags.set(a, value);
  }
  const presetName = flags.get('--preset') ?? null;
  if (presetName && !PRESETS[presetName]) throw new RangeError(`unknown preset '${presetName}': ${Object.keys(PRESETS).join(', ')}`);
  const gridGiven = Object.keys(GRID).some((f) => flags.has(f));
  let blocks: MatrixBlock[] = presetName ? PRESETS[presetName].blocks : gridGiven ? [PRESETS.default.blocks[0]] : PRESETS.default.blocks;
  blocks = blocks.map((b) => structuredClone(b));
  for (const b of blocks) {
    for (const [flag, key] of Object.entries(GRID)) {
      const v = flags.get(flag);
      if (v === undefined) continue;
      if (key === 'sizes' || key === 'dims') b[key] = list(v).map((x) => count(x, flag));
      else b[key] = list(v);
    }
    const num = (flag: string) => (flags.has(flag) ? count(flags.get(flag)!, flag) : undefined);
    if (flags.has('--metric')) {
      const m = flags.get('--metric')!;
      if (!['l2', 'cosine', 'ip'].includes(m)) throw new RangeError(`--metric must be l2, cosine or ip, got '${m}'`);
      b.metric = m as Metric;
    }
    b.M = num('--M') ?? b.M;
    b.efConstruction = num('--ef-construction') ?? b.efConstruction;
    b.k = num('--k') ?? b.k;
    b.queries = num('--queries') ?? b.queries;
    b.repeat = num('--repeat') ?? b.repeat;
    b.seed = num('--seed') ?? b.seed;
    if (flags.has('--ef')) b.ef = list(flags.get('--ef')!).map((x) => count(x, '--ef'));
    if (flags.has('--threads')) b.threads = list(flags.get('--threads')!).map((x) => count(x, '--threads'));
    if (flags.has('--peers')) {
      const p = list(flags.get('--peers')!);
      if (p.length === 1 && p[0] === 'none') b.peers = [];
      else {
        for (const x of p)
          if (!PEER_NAMES.includes(x as PeerName)) throw new RangeError(`--peers: unknown peer '${x}' (${PEER_NAMES.join(', ')}, none)`);
        b.peers = p as PeerName[];
      }
    }
    b.ef = b.ef.filter((e) => e >= b.k);
    if (!b.ef.length) throw new RangeError(`--ef: every value is below k (${b.k})`);
    for (const [key, v] of [
      ['sizes', b.sizes],
      ['dims', b.dims],
      ['threads', b.threads],
    ] as const)
      if (!v.length || v.some((x) => x < 1)) throw new RangeError(`--${key} needs positive values`);
  }
  let shard: BenchArgs['shard'] = null;
  if (flags.has('--shard')) {
    const m = /^(\d+)\/(\d+)$/.exec(flags.get('--shard')!);
    if (!m) throw new RangeError(`--shard must look like 2/4, got '${flags.get('--shard')}'`);
    shard = { index: Number(m[1]), count: Number(m[2]) };
    if (shard.index < 1 || shard.index > shard.count) throw new RangeError(`--shard ${shard.index}/${shard.count}: i must be in 1..n`);
  }
  const progress = (flags.get('--progress') ?? 'auto') as BenchArgs['progress'];
  if (!['auto', 'plain', 'none'].includes(progress)) throw new RangeError(`--progress must be auto, plain or none`);
  return {
    blocks,
    preset: presetName ?? (gridGiven ? null : 'default'),
    out: flags.get('--out') ?? 'bench-out',
    shard,
    install: !bool.has('--no-install'),
    resume: bool.has('--resume'),
    progress,
  };
}
