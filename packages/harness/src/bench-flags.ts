import { BOUNDARIES, listMetrics, STORES, type Boundary, type Metric, type VectorStore } from '@hnswlab/core';
import { names, type Flag } from '@hnswlab/lab-kit';
import { ALL_ROWS, splitDatasets } from './dataset-ids.js';
import type { MatrixBlock } from './matrix.js';
import { PEER_NAMES, type PeerName } from './peers/peer.js';
import { UsageError } from './usage-error.js';

/** One flag of `hnswlab bench`: its help line, and for flags that shape the matrix, how it sets a block. */
export interface BenchFlag extends Flag {
  /**
   * A grid flag names one axis of the cartesian product: given without --preset, the grid flags
   * describe one block that starts from the default preset's main block.
   */
  readonly grid?: boolean;
  /** Set the flag's field in a block (block flags); run flags (--preset, --out, ...) have none. */
  readonly apply?: (block: MatrixBlock, value: string) => void;
}

type ListKey = { [K in keyof MatrixBlock]-?: NonNullable<MatrixBlock[K]> extends string[] | number[] ? K : never }[keyof MatrixBlock];
type NumberKey = { [K in keyof MatrixBlock]-?: MatrixBlock[K] extends number ? K : never }[keyof MatrixBlock];

export { names };

/** A whole number ≥ 0 with an optional k or M suffix (10k, 1M); `all` where `allowAll` (every row of a file). */
export function count(value: string, flag: string, allowAll = false): number {
  if (allowAll && value.trim() === 'all') return ALL_ROWS;
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(value.trim());
  if (!m) throw new UsageError(`--${flag}: '${value}' is not a number`);
  const v = Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1);
  if (!Number.isInteger(v)) throw new UsageError(`--${flag}: '${value}' is not a whole number`);
  return v;
}

function counts(flag: string, allowAll = false): (value: string) => number[] {
  return (value) => {
    const out = names(value).map((x) => count(x, flag, allowAll));
    if (!out.length || out.some((x) => x < 1)) throw new UsageError(`--${flag} needs positive values, got '${value}'`);
    return out;
  };
}

/** A list flag: `--NAME LIST` sets block[key] to parse(value). Adding one is one line in BENCH_FLAGS. */
function list<K extends ListKey>(key: K, help: string, parse: (value: string) => NonNullable<MatrixBlock[K]>, grid = false): BenchFlag {
  const name = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return { name, arg: 'LIST', help, grid, apply: (b, v) => (b[key] = parse(v)) };
}

/** A number flag: `--NAME N` sets block[key]. */
function num(key: NumberKey, flag: string, help: string): BenchFlag {
  return { name: flag, arg: 'N', help, apply: (b, v) => (b[key] = count(v, flag)) };
}

function peers(value: string): PeerName[] {
  const p = names(value);
  if (p.length === 1 && p[0] === 'none') return [];
  for (const x of p)
    if (!PEER_NAMES.includes(x as PeerName)) throw new UsageError(`--peers: unknown peer '${x}' (known: ${PEER_NAMES.join(', ')}, none)`);
  return p as PeerName[];
}

function boundaries(value: string): Boundary[] {
  const b = names(value);
  for (const x of b)
    if (!BOUNDARIES.includes(x as Boundary))
      throw new UsageError(`--boundaries: unknown boundary '${x}' (known: ${BOUNDARIES.join(', ')})`);
  if (!b.length) throw new UsageError('--boundaries needs at least one boundary');
  return b as Boundary[];
}

function stores(value: string): VectorStore[] {
  const s = names(value);
  for (const x of s)
    if (!STORES.includes(x as VectorStore)) throw new UsageError(`--stores: unknown store '${x}' (known: ${STORES.join(', ')})`);
  if (!s.length) throw new UsageError('--stores needs at least one store');
  return [...new Set(s)] as VectorStore[];
}

function metric(value: string): Metric {
  if (!listMetrics().includes(value)) throw new UsageError(`--metric: unknown metric '${value}' (known: ${listMetrics().join(', ')})`);
  return value as Metric;
}

/** The flags of `hnswlab bench`, in help order. */
export const BENCH_FLAGS: readonly BenchFlag[] = [
  { name: 'preset', arg: 'NAME', help: 'a named matrix (see presets below; default: default)' },
  list('kernels', 'js,wasm,native, best (the fastest that loads), or module specifiers (./my-kernel.js)', names, true),
  list('strategies', 'registered insert strategies: sequential,batched,parallel,segmented,rounds', names, true),
  list(
    'boundaries',
    `where the core calls the kernel: ${BOUNDARIES.join(',')} (default: each kernel's own, its fastest)`,
    boundaries,
    true,
  ),
  list(
    'stores',
    `the precision axis: ${STORES.join(',')} (default: f32); a store a kernel does not implement is an unavailable cell`,
    stores,
    true,
  ),
  list(
    'rerank',
    'rerank factors swept on the quantised stores, e.g. 1,2,4 (1: the plain sweep; above 1, f16 and i8 keep float32 rows)',
    counts('rerank'),
  ),
  list(
    'datasets',
    'glove,clustered,uniform, ann:NAME, fvecs:BASE[,QUERIES[,GT]], bvecs:…, npy:BASE[,QUERIES], hdf5:FILE',
    splitDatasets,
    true,
  ),
  list('sizes', 'base vectors, e.g. 10000,100000 (k and M suffixes: 10k,1M; all: every row of a file)', counts('sizes', true), true),
  list('dims', 'dimensions of synthetic data, e.g. 32,128,512', counts('dims'), true),
  {
    name: 'metric',
    arg: 'NAME',
    help: `${listMetrics().join(' | ')} (default: the data's own: ip for GloVe, cosine for *-angular files, else l2)`,
    apply: (b, v) => (b.metric = metric(v)),
  },
  num('M', 'M', 'links per node (level 0 keeps 2M)'),
  num('efConstruction', 'ef-construction', 'build beam width'),
  list('ef', 'search sweep, e.g. 10,20,40,80 (values below k are dropped)', counts('ef')),
  num('k', 'k', 'neighbours per query (recall@k)'),
  num('queries', 'queries', 'queries per data set'),
  list('threads', 'worker threads for strategies that use them, e.g. 1,2', counts('threads')),
  num('repeat', 'repeat', 'timed builds per cell (median reported)'),
  num('seed', 'seed', 'data, query and level seed'),
  list('peers', `${PEER_NAMES.join(',')} or none`, peers),
  { name: 'shard', arg: 'i/n', help: 'run the i-th of n slices of the matrix (join them with hnswlab merge)' },
  { name: 'out', arg: 'DIR', help: 'where bench.json, bench.md and bench.html go (default bench-out)' },
  { name: 'no-install', help: 'do not install GloVe on demand: say how, and run the offline fallback' },
  { name: 'resume', help: 'skip the jobs an interrupted run with the same --out already finished' },
  { name: 'no-index-cache', help: 'build every cell, do not reuse built indexes from $HNSWLAB_CACHE/index (nor keep them)' },
  { name: 'progress', arg: 'MODE', help: 'auto | plain | none' },
];
