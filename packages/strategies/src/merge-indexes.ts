import type { HnswIndex, MergeOptions, MergeReport } from '@hnswlab/core';
import { BatchRecorder } from './batch-report.js';
import { jobSetup, rolledBack } from './job-setup.js';
import { computeJoinSet } from './join-set.js';
import { runMerge } from './merge-runner.js';
import { resolveOptions } from './strategy-options.js';
import { workerPool } from './worker-pool.js';

/**
 * The merger behind index.merge (registered by registerAll()): the source's live vectors are stored
 * in the target under their ids (new levels drawn by the target), then linked by the join-set merge:
 * the source graph's join set by full insertion, every other row from its source neighbours.
 * Deleted source rows are left out (and dropped from the neighbour lists).
 */
export async function mergeIndexes(target: HnswIndex, source: HnswIndex, options: MergeOptions = {}): Promise<MergeReport> {
  const opts = resolveOptions(options);
  const g = source.graph,
    dim = source.dim;
  const live: number[] = [];
  for (let row = 0; row < g.count; row++) if (!g.deleted[row]) live.push(row);
  const n = live.length;
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = g.labels[live[i]];
    if (target.has(labels[i])) throw new RangeError(`cannot merge: id ${labels[i]} is in both indexes`);
  }
  if (n === 0) return { ids: labels, fullInserts: 0, seededInserts: 0, distanceEvals: 0, seconds: 0 };
  const vectors = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) vectors.set(source.space.read(live[i]), i * dim);

  const rec = new BatchRecorder(target, 'merge', opts.threads, n);
  const plan = target.beginBatch(vectors, labels, true);
  try {
    const first = plan.firstRow;
    const localOf = new Int32Array(g.count).fill(-1);
    for (let i = 0; i < n; i++) localOf[live[i]] = i;
    const localOffsets = new Int32Array(n + 1);
    const local: number[] = [];
    for (let i = 0; i < n; i++) {
      const off = live[i] * g.stride0;
      for (let j = 1; j <= g.links0[off]; j++) {
        const v = localOf[g.links0[off + j]];
        if (v >= 0) local.push(v);
      }
      localOffsets[i + 1] = local.length;
    }
    const localNeighbors = Int32Array.from(local);
    const join = computeJoinSet(localOffsets, localNeighbors);
    const neighbors = localNeighbors.map((v) => v + first);
    const merged = new Uint8Array(new SharedArrayBuffer(n));
    const fault = opts.faultAtRow === undefined ? -1 : first + opts.faultAtRow;
    const job = await workerPool().acquire(opts.threads, target.counters);
    let counts;
    try {
      await job.open(jobSetup(target, true));
      counts = await runMerge(
        target,
        job,
        { first, count: n, offsets: localOffsets, neighbors, join, merged },
        opts,
        fault,
        rec,
        Math.max(0, opts.warmupRows - first),
      );
    } finally {
      await job.close();
    }
    target.commitBatch(plan);
    const report = rec.finish();
    return { ids: labels, ...counts, distanceEvals: report.distanceEvals, seconds: report.seconds };
  } catch (err) {
    target.abortBatch(plan);
    rec.finish();
    throw rolledBack('merge', err);
  }
}
