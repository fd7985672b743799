import type { Metric } from '@hnswlab/core';
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
            for (const strategy of b.strategies)
              for (const threads of b.threads) {
                const spec = normalizeCellSpec({
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

/** The jobs of shard `index` (1-based) of `count`: every count-th job, so each shard gets a mix of sizes. */
export function shardJobs(jobs: readonly Job[], index: number, count: number): Job[] {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count) {
    throw new RangeError(`--shard must be i/n with 1 ≤ i ≤ n, got ${index}/${count}`);
  }
  return jobs.filter((_, j) => j % count === index - 1);
}

/** A rough relative cost of a job (∝ n log n · efConstruction · dim), for the ETA. */
export function jobCost(job: Job): number {
  const s = job.spec;
  const build = s.n * Math.log2(Math.max(2, s.n)) * s.efConstruction * (s.dim + 64) * s.repeat;
  const search = s.queries * s.ef.reduce((a, b) => a + b, 0) * (s.dim + 64) * 40;
  const speed = job.kind === 'peer' ? 4 : s.kernel === 'js' ? 1 : 2;
  return (build + search) / speed;
}
