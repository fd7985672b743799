import type { InsertStrategy } from '@hnswlab/core';
import { H_ENTRY, H_MAX_LEVEL } from '@hnswlab/core/internals';
import { BatchRecorder } from './batch-report.js';
import { control } from './control.js';
import { jobSetup, rolledBack } from './job-setup.js';
import { linkInThread } from './link-in-thread.js';
import { resolveOptions, type StrategyOptions } from './strategy-options.js';
import { sumBusy, workerPool } from './worker-pool.js';

/**
 * Deterministic, lock-free batch insertion in the manner of ParlayANN: rows go in rounds of growing
 * size (prefix doubling: a round is at most the rows already linked, and at most `roundFraction` of the
 * final size). In a round every worker searches and selects neighbours for its rows against the graph
 * as frozen at the round's start, writing nothing; then the new rows' lists are written and the
 * reverse edges, grouped by target, appended or re-pruned by the one worker that owns the target.
 * The same input and seed give the same graph whatever the thread count.
 */
export const rounds: InsertStrategy = {
  name: 'rounds',
  async insert(index, vectors, ids, options: StrategyOptions) {
    const opts = resolveOptions(options);
    const rec = new BatchRecorder(index, 'rounds', opts.threads, ids.length);
    const plan = index.beginBatch(vectors, ids, true);
    try {
      const { firstRow: first, count } = plan;
      const end = first + count;
      const fault = opts.faultAtRow === undefined ? -1 : first + opts.faultAtRow;
      const graph = index.graph,
        header = graph.header,
        levels = graph.levels;
      let next = first;
      if (graph.entry < 0) {
        await rec.stage('search', 1, () => linkInThread(index, first, first + 1, fault));
        next++;
      }
      if (next < end) {
        const stride = index.M + 1;
        const outOffsets = new Int32Array(new SharedArrayBuffer((count + 1) * 4));
        for (let i = 0; i < count; i++) outOffsets[i + 1] = outOffsets[i] + (levels[first + i] + 1) * stride;
        const out = new Int32Array(new SharedArrayBuffer(outOffsets[count] * 4));
        const cap = Math.max(1, Math.ceil(opts.roundFraction * end));
        const job = await workerPool().acquire(opts.threads, index.counters);
        let roundCount = 0;
        try {
          await job.open(jobSetup(index, false));
          const shared = { first, outOffsets: outOffsets.buffer, out: out.buffer };
          while (next < end) {
            const start = next,
              stop = Math.min(end, start + Math.min(start, cap));
            const maxLevel = graph.maxLevel;
            const ctl = control(start);
            const search = {
              kind: 'round-search',
              ctl,
              start,
              end: stop,
              entry: graph.entry,
              maxLevel,
              faultRow: fault,
              ...shared,
            } as const;
            await rec.stage('search', stop - start, async () => sumBusy(await job.runEach(() => search)));
            await rec.stage('apply', stop - start, async () =>
              sumBusy(
                await job.runEach((worker) => ({ kind: 'round-apply', start, end: stop, maxLevel, worker, workers: job.size, ...shared })),
              ),
            );
            // The round's highest row (the first of equals) above the old top becomes the entry point.
            let top = -1;
            for (let u = start; u < stop; u++) if (levels[u] > graph.maxLevel && (top < 0 || levels[u] > levels[top])) top = u;
            if (top >= 0) {
              header[H_ENTRY] = top;
              header[H_MAX_LEVEL] = levels[top];
            }
            next = stop;
            roundCount++;
          }
        } finally {
          await job.close();
        }
        rec.extra.rounds = roundCount;
        rec.extra.largestRound = cap;
      }
      index.commitBatch(plan);
    } catch (err) {
      index.abortBatch(plan);
      throw rolledBack('rounds', err);
    } finally {
      rec.finish();
    }
  },
};
