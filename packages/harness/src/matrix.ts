import type { Boundary, Metric, VectorStore } from '@hnswlab/core';
import { normalizeCellSpec, type CellSpec } from './cell-spec.js';
import type { PeerName } from './peers/peer.js';

/**
 * One cartesian block of a matrix: every combination of the list fields, with the scalar fields
 * shared. A preset is a few blocks (the main grid, a dimension curve, a scale curve).
 */
export interface MatrixBlock {
  /** What the block is for, shown in reports ('main', 'dims', 'scale', ...). */
  name: string;
  kernels: string[];
  strategies: string[];
  datasets: string[];
  sizes: number[];
  dims: number[];
  threads: number[];
  metric: Metric;
  M: number;
  efConstruction: number;
  ef: number[];
  k: number;
  queries: number;
  seed: number;
  repeat: number;
  /** Peers to run beside each distinct data set of the block. */
  peers: PeerName[];
  /**
   * The boundary axis: a cell per kernel × boundary (a boundary the kernel lacks gives an
   * 'unavailable' row). Absent: each kernel at its default boundary, and no boundary in the spec.
   */
  boundaries?: Boundary[];
  /**
   * The precision axis: a cell per kernel × store (a store the kernel does not list gives an
   * 'unavailable' row). Absent: f32 only, and no store in the spec.
   */
  stores?: VectorStore[];
  /**
   * Rerank factors swept on the quantised stores' cells (1 is the plain sweep every cell has; the
   * factors above 1 become CellSpec.rerank). With a factor above 1, f16 and i8 cells keep float32 rows
   * (keepFullPrecision: true), which rerank needs; b1 keeps them by default; f32 needs no rerank.
   */
  rerank?: number[];
  /**
   * What the block runs instead when its data cannot be installed here (GloVe without the network):
   * these fields replace the block's, and the report says so.
   */
  offline?: Pick<MatrixBlock, 'datasets' | 'dims' | 'metric'>;
}

/** One unit of work: an hnswlab cell or a peer reference row. */
export type Job = { kind: 'cell'; block: string; spec: CellSpec } | { kind: 'peer'; block: string; peer: PeerName; spec: CellSpec };

/** The key cells share data by (dataset, n, dim, queries, seed, metric, k). */
export function dataKey(s: CellSpec): string {
  return `${s.dataset}|${s.n}|${s.dim}|${s.queries}|${s.seed}|${s.metric}|${s.k}`;
}

/**
 * Every job of the blocks, in a stable order: grouped by data set (so data and ground truth are
 * loaded once), hnswlab cells first, then the peers on that data. Peers run once per data set and
 * build parameters; usearch once per thread count of the cells beside it.
 */
export function expandMatrix(blocks: readonly MatrixBlock[]): Job[] {
  const jobs: Job[] = [];
  const seen = new Set<string>();
  for (const b of blocks) {
    const byData = new Map<string, Job[]>();
    const push = (job: Job) => {
      const id = `${job.kind}|${job.kind === 'peer' ? job.peer : ''}|${JSON.stringify(job.spec)}`;
      if (seen.has(id)) return;
      seen.add(id);
      const key = dataKey(job.spec);
      if (!byData.has(key)) byData.set(key, []);
      byData.get(key)!.push(job);
    };
    for (const dataset of b.datasets)
      for (const n of b.sizes)
        for (const dim of b.dims)
          for (const kernel of b.kernels)
            for (const boundary of b.boundaries ?? [undefined])
              for (const store of b.stores ?? [undefined])
                for (const strategy of b.strategies)
                  for (const threads of b.threads) {
                    const spec = normalizeCellSpec({
                      boundary,
                      ...storeAxis(store, b.rerank),
                      kernel,
                      strategy,
                      dataset,
                      n,
                      dim,
                      threads,
                      metric: b.metric,
                      M: b.M,
                      efConstruction: b.efConstruction,
                      ef: b.ef,
                      k: b.k,
                      queries: b.queries,
                      seed: b.seed,
                      repeat: b.repeat,
                    });
                    push({ kind: 'cell', block: b.name, spec });
                  }
    for (const group of [...byData.values()]) {
      const first = group[0].spec;
      const threads = [...new Set(group.map((j) => j.spec.threads))];
      for (const peer of b.peers) {
        const counts = peer === 'hnswlib-node' ? [1] : [...new Set([1, ...threads])];
        for (const t of counts) push({ kind: 'peer', block: b.name, peer, spec: { ...first, kernel: peer, strategy: 'peer', threads: t } });
      }
    }
    for (const group of byData.values()) jobs.push(...group);
  }
  return jobs;
}

/**
 * The spec fields of one store of the precision axis: the store, the rerank factors above 1 (quantised
 * stores only: f32 is exact already), and keepFullPrecision: true for f16 and i8 when there is a
 * factor to sweep (b1 keeps float32 rows by default).
 */
export function storeAxis(
  store: VectorStore | undefined,
  rerank: readonly number[] | undefined,
): Pick<CellSpec, 'store' | 'rerank' | 'keepFullPrecision'> {
  if (store === undefined || store === 'f32') return {};
  const factors = (rerank ?? []).filter((r) => r > 1);
  if (!factors.length) return { store };
  return { store, rerank: factors, ...(store !== 'b1' && { keepFullPrecision: true }) };
}

/** The key a peer row serves: cells with the same data and build parameters compare against it. */
export function peerKey(s: CellSpec): string {
  return `${dataKey(s)}|${s.M}|${s.efConstruction}`;
}

/**
 * The jobs of shard `index` (1-based) of `count`. The hnswlab cells are dealt out by estimated cost,
 * largest first, each to the shard with the least so far (ties to the lower shard), so shards take
 * about the same time; each shard then also runs the peer rows of every data set it has cells of, so
 * a ratio to a peer always compares two figures measured on one machine. A peer row can therefore run
 * on several shards; every cell runs on exactly one. Jobs keep the matrix order.
 */
export function shardJobs(jobs: readonly Job[], index: number, count: number): Job[] {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count) {
    throw new RangeError(`--shard must be i/n with 1 ≤ i ≤ n, got ${index}/${count}`);
  }
  const load = new Array<number>(count).fill(0);
  const owner = new Map<Job, number>();
  const cells = jobs.filter((j) => j.kind === 'cell');
  const order = cells.map((job, i) => ({ job, i, cost: jobCost(job) })).sort((a, b) => b.cost - a.cost || a.i - b.i);
  for (const { job, cost } of order) {
    let s = 0;
    for (let t = 1; t < count; t++) if (load[t] < load[s]) s = t;
    load[s] += cost;
    owner.set(job, s + 1);
  }
  const mine = new Set(cells.filter((j) => owner.get(j) === index).map((j) => peerKey(j.spec)));
  return jobs.filter((j) => (j.kind === 'cell' ? owner.get(j) === index : mine.has(peerKey(j.spec))));
}

/**
 * A rough relative cost of a job (∝ n log n · efConstruction · dim), for the ETA and the shards. A
 * cell of the boundary axis builds once more (its profiled build), and at `pair` crosses per distance;
 * a cell of the precision axis searches once more per rerank factor.
 */
export function jobCost(job: Job): number {
  const s = job.spec;
  const axis = s.boundary === undefined ? 1 : (s.boundary === 'pair' ? 2 : 1) * ((s.repeat + 1) / s.repeat);
  const build = s.n * Math.log2(Math.max(2, s.n)) * s.efConstruction * (s.dim + 64) * s.repeat * axis;
  // a rerank factor is one more sweep over the same efs
  const search = s.queries * s.ef.reduce((a, b) => a + b, 0) * (s.dim + 64) * 40 * (1 + (s.rerank?.length ?? 0));
  const speed = job.kind === 'peer' ? 4 : s.kernel === 'js' ? 1 : 2;
  return (build + search) / speed;
}
