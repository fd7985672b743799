import type { HnswIndex, InsertStrategy } from '@hnswlab/core';
import { BatchRecorder } from './batch-report.js';
import { control } from './control.js';
import { jobSetup, rolledBack } from './job-setup.js';
import { linkInThread } from './link-in-thread.js';
import { resolveOptions, type ResolvedOptions, type StrategyOptions } from './strategy-options.js';
import { sumBusy, workerPool } from './worker-pool.js';

/**
 * `threads` worker threads insert concurrently into the one graph, each taking the next row from a
 * shared counter, with per-node locks around link lists (as hnswlib does). Capacity is reserved and
 * vectors stored before any worker starts, so nothing grows under them. The first rows of a tiny
 * graph are linked in the calling thread first, so workers do not all contend for a handful of nodes.
 * A failure rolls the batch back from the snapshot taken at its start.
 */
export const parallel: InsertStrategy = {
  name: 'parallel',
  async insert(index, vectors, ids, options: StrategyOptions) {
    const opts = resolveOptions(options);
    const rec = new BatchRecorder(index, 'parallel', opts.threads, ids.length);
    const plan = index.beginBatch(vectors, ids, true);
    try {
      const fault = opts.faultAtRow === undefined ? -1 : plan.firstRow + opts.faultAtRow;
      await insertParallel(index, plan.firstRow, plan.firstRow + plan.count, opts, fault, rec);
      index.commitBatch(plan);
    } catch (err) {
      index.abortBatch(plan);
      throw rolledBack('parallel', err);
    } finally {
      rec.finish();
    }
  },
};

/** Link allocated rows [start, end): a warm-up in this thread while the graph is tiny, the rest in workers. */
export async function insertParallel(
  index: HnswIndex,
  start: number,
  end: number,
  opts: ResolvedOptions,
  faultRow: number,
  rec: BatchRecorder,
): Promise<void> {
  const warmEnd = Math.min(end, Math.max(start, opts.warmupRows));
  if (warmEnd > start) await rec.stage('warm-up', warmEnd - start, () => linkInThread(index, start, warmEnd, faultRow));
  if (warmEnd >= end) return;
  const job = await workerPool().acquire(opts.threads, index.counters);
  try {
    await job.open(jobSetup(index, true));
    const ctl = control(warmEnd);
    const task = { kind: 'insert', ctl, start: warmEnd, end, first: start, faultRow } as const;
    await rec.stage('parallel', end - warmEnd, async () => sumBusy(await job.runEach(() => task)));
  } finally {
    await job.close();
  }
}
