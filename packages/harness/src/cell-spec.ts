import { BOUNDARIES, type Boundary, type Metric } from '@hnswlab/core';

/**
 * One cell of the bench matrix: everything that decides what gets built and measured. Two runs of
 * the same spec on the same machine build the same graph (the level draws are seeded).
 */
export interface CellSpec {
  /** 'js' | 'wasm' | 'native', or a module specifier / file URL of a package exporting `createKernel()`. */
  kernel: string;
  /** An insert strategy registered in @hnswlab/core (sequential, batched) or @hnswlab/strategies (parallel, segmented, rounds). */
  strategy: string;
  /** A dataset id: 'clustered' | 'uniform' | 'glove', or a file (see `resolveDataset`). */
  dataset: string;
  /** Base vectors to build from; for a file, more than it holds (e.g. ALL_ROWS, `--sizes all`) takes every row. */
  n: number;
  /** Dimension. Ignored for file datasets and GloVe, whose dimension is fixed (the result records the real one); 0 there. */
  dim: number;
  metric: Metric;
  M: number;
  efConstruction: number;
  /** The search beam widths to sweep (each at least k). */
  ef: number[];
  /** Neighbours per query; recall is recall@k. */
  k: number;
  /** Worker threads, for strategies that use them. */
  threads: number;
  /** Seeds the synthetic data, the query draw and the index's level draws. */
  seed: number;
  /** Queries to search. */
  queries: number;
  /** Builds to time; the reported build figures are the median build (counts are identical across builds). */
  repeat: number;
  /**
   * Where the core hands work to the kernel (`pair`, `node`, `layer`, `insert`); absent: the kernel's
   * default (its fastest). A boundary the kernel does not support makes the cell 'unavailable'.
   */
  boundary?: Boundary;
}

/** Datasets drawn at any n and dim. */
const SYNTHETIC = ['clustered', 'uniform'];

/** Defaults of every field but kernel and strategy, chosen so a cell finishes in seconds. */
export const DEFAULT_CELL: Omit<CellSpec, 'kernel' | 'strategy'> = {
  dataset: 'clustered',
  n: 10_000,
  dim: 128,
  metric: 'l2',
  M: 16,
  efConstruction: 200,
  ef: [10, 20, 40, 80, 160],
  k: 10,
  threads: 2,
  seed: 42,
  queries: 200,
  repeat: 1,
};

/** A spec with every field present and checked; throws a RangeError naming the bad field. */
export function normalizeCellSpec(spec: Partial<CellSpec> & Pick<CellSpec, 'kernel' | 'strategy'>): CellSpec {
  const { kernel, strategy, ...rest } = spec;
  // kernel and strategy first, so JSON reads in the order a person scans it
  const full: CellSpec = { kernel, strategy, ...DEFAULT_CELL, ...rest, ef: [...(spec.ef ?? DEFAULT_CELL.ef)] };
  for (const key of ['n', 'dim', 'M', 'efConstruction', 'k', 'threads', 'queries', 'repeat'] as const) {
    const v = full[key];
    // a file fixes its own dimension: 0 stands for it
    const min = key === 'dim' && !SYNTHETIC.includes(full.dataset) ? 0 : 1;
    if (!Number.isInteger(v) || v < min) throw new RangeError(`cell ${key} must be a positive integer, got ${String(v)}`);
  }
  if (!Number.isInteger(full.seed) || full.seed < 0)
    throw new RangeError(`cell seed must be a non-negative integer, got ${String(full.seed)}`);
  if (!['l2', 'cosine', 'ip'].includes(full.metric))
    throw new RangeError(`cell metric must be l2, cosine or ip, got ${String(full.metric)}`);
  if (full.ef.length === 0) throw new RangeError('cell ef sweep is empty');
  for (const ef of full.ef) {
    if (!Number.isInteger(ef) || ef < full.k) throw new RangeError(`every ef must be an integer ≥ k (${full.k}), got ${String(ef)}`);
  }
  full.ef.sort((a, b) => a - b);
  if (typeof full.kernel !== 'string' || !full.kernel) throw new RangeError('cell kernel must be a name or module specifier');
  if (typeof full.strategy !== 'string' || !full.strategy) throw new RangeError('cell strategy must be a name');
  if (full.boundary === undefined) delete full.boundary;
  else if (!BOUNDARIES.includes(full.boundary))
    throw new RangeError(`cell boundary must be one of ${BOUNDARIES.join(', ')}, got ${String(full.boundary)}`);
  return full;
}

/**
 * A short stable label of a cell, e.g. `js/batched clustered n=10000 d=128 l2 M=16 efc=200 t=2`
 * (`n=all` for a whole file, `d=file` for a file's own dimension; `native/batched@layer` for a cell of
 * the boundary axis). `t` is the threads asked for; the result's `build.threads` says how many ran.
 */
export function cellLabel(spec: CellSpec): string {
  const n = spec.n === Number.MAX_SAFE_INTEGER ? 'all' : String(spec.n);
  return `${buildTitle(spec)} ${spec.dataset} n=${n} d=${spec.dim || 'file'} ${spec.metric} M=${spec.M} efc=${spec.efConstruction} t=${spec.threads}`;
}

/** Kernel and strategy, with the boundary when the cell names one: `native/batched`, `native/batched@layer`. */
export function buildTitle(spec: Pick<CellSpec, 'kernel' | 'strategy' | 'boundary'>): string {
  return `${spec.kernel}/${spec.strategy}${spec.boundary ? `@${spec.boundary}` : ''}`;
}
