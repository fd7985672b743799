import type { InsertStrategy } from '@hnswlab/core';
import { BatchRecorder } from './batch-report.js';
import { control } from './control.js';
import { jobSetup, rolledBack } from './job-setup.js';
import type { SegmentResult, Task } from './messages.js';
import { runMerge } from './merge-runner.js';
import { insertParallel } from './parallel.js';
import { resolveOptions, type StrategyOptions } from './strategy-options.js';
import { sumBusy, workerPool } from './worker-pool.js';

/**
 * The batch is split into segments built apart, one per worker: the first straight into the index's
 * graph (it becomes the base), each other one into a private graph over the same stored rows. The
 * private graphs are then merged into the base: their join sets and upper-level rows by full
 * insertion, every other row by a level-0 search seeded from its segment neighbours (Lucene's
 * join-set merge). Batches too small to split are inserted as `parallel`.
 */
export const segmented: InsertStrategy = {
  name: 'segmented',
  async insert(index, vectors, ids, options: StrategyOptions) {
    const opts = resolveOptions(options);
    const rec = new BatchRecorder(index, 'segmented', opts.threads, ids.length);
    const plan = index.beginBatch(vectors, ids, true);
    try {
      const { firstRow: first, count } = plan;
      const fault = opts.faultAtRow === undefined ? -1 : first + opts.faultAtRow;
      const segments = Math.min(opts.segments, Math.floor(count / opts.minSegmentRows));
      if (segments < 2) {
        await insertParallel(index, first, first + count, opts, fault, rec);
      } else {
        const bounds = Array.from({ length: segments + 1 }, (_, s) => first + Math.round((s * count) / segments));
        const job = await workerPool().acquire(opts.threads, index.counters);
        try {
          await job.open(jobSetup(index, true));
          const tasks: Task[] = [{ kind: 'insert', ctl: control(bounds[0]), start: bounds[0], end: bounds[1], first, faultRow: fault }];
          for (let s = 1; s < segments; s++)
            tasks.push({ kind: 'segment', base: bounds[s], count: bounds[s + 1] - bounds[s], faultRow: fault });
          let built: SegmentResult[] = [];
          await rec.stage('segments', count, async () => {
            const outcomes = await job.runQueue(tasks);
            built = outcomes.slice(1).map((o) => o.result as SegmentResult);
            return sumBusy(outcomes);
          });
          const offsets = new Int32Array(count + 1);
          const join = new Uint8Array(count);
          const merged = new Uint8Array(new SharedArrayBuffer(count));
          merged.fill(1, 0, bounds[1] - first);
          let total = 0;
          for (const seg of built) total += seg.neighbors.length;
          const neighbors = new Int32Array(total);
          let at = 0;
          for (let s = 1; s < segments; s++) {
            const seg = built[s - 1],
              base = bounds[s];
            for (let local = 0; local < seg.offsets.length - 1; local++) {
              const i = base - first + local;
              for (let j = seg.offsets[local]; j < seg.offsets[local + 1]; j++) neighbors[at++] = base + seg.neighbors[j];
              offsets[i + 1] = at;
              join[i] = seg.join[local];
            }
          }
          await runMerge(index, job, { first, count, offsets, neighbors, join, merged }, opts, fault, rec, 0);
          rec.extra.segments = segments;
        } finally {
          await job.close();
        }
      }
      index.commitBatch(plan);
    } catch (err) {
      index.abortBatch(plan);
      throw rolledBack('segmented', err);
    } finally {
      rec.finish();
    }
  },
};
