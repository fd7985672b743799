import { BOUNDARIES, STORES, type Boundary, type Metric, type VectorStore } from '@hnswlab/core';

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
  /**
   * The precision axis: how the index stores vectors (HnswIndexOptions.store). Absent: 'f32', as
   * before the axis existed ('f32' is normalised away, so an f32 cell keeps its label and cache key).
   * A store the kernel does not list (`kernel.stores`) makes the cell 'unavailable'.
   */
  store?: VectorStore;
  /**
   * HnswIndexOptions.keepFullPrecision, when the cell sets it; absent: the store's default (false for
   * f16 and i8, true for b1). The precision axis sets it true for f16 and i8 when a rerank > 1 is asked.
   */
  keepFullPrecision?: boolean;
  /**
   * Rerank factors (> 1) to sweep besides the plain sweep: each is a second ef sweep with
   * `search(q, k, { ef, rerank })` (CellResult.rerankSearch). Needs float32 rows kept.
   */
  rerank?: number[];
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
  if (full.store === undefined || full.store === 'f32') delete full.store;
  else if (!STORES.includes(full.store)) throw new RangeError(`cell store must be one of ${STORES.join(', ')}, got ${String(full.store)}`);
  if (full.keepFullPrecision === undefined) delete full.keepFullPrecision;
  else if (typeof full.keepFullPrecision !== 'boolean')
    throw new RangeError(`cell keepFullPrecision must be a boolean, got ${String(full.keepFullPrecision)}`);
  if (full.rerank !== undefined) {
    const factors = [...new Set(full.rerank)].sort((a, b) => a - b);
    for (const r of factors)
      if (!Number.isInteger(r) || r < 2) throw new RangeError(`every cell rerank factor must be an integer ≥ 2, got ${String(r)}`);
    if (factors.length) full.rerank = factors;
    else delete full.rerank;
  }
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

/**
 * Kernel and strategy, with the boundary when the cell names one and the store when it is not f32:
 * `native/batched`, `native/batched@layer`, `js/batched:i8` (`js/batched:i8+f32` when float32 rows are
 * kept beside f16 or i8 codes by the cell's choice).
 */
export function buildTitle(spec: Pick<CellSpec, 'kernel' | 'strategy' | 'boundary' | 'store' | 'keepFullPrecision'>): string {
  const store = spec.store ? `:${spec.store}${spec.keepFullPrecision && spec.store !== 'b1' ? '+f32' : ''}` : '';
  return `${spec.kernel}/${spec.strategy}${spec.boundary ? `@${spec.boundary}` : ''}${store}`;
}
