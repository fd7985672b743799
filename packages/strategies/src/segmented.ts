import { computeJoinSet, sharedCounter, takeNext, workerTask, type InsertStrategy } from '@hnswlab/core';
import { linkParallel } from './parallel.js';
import { resolveOptions, type StrategyOptions } from './strategy-options.js';

/**
 * The batch is split into segments built apart, one per worker: the first straight into the index's
 * graph (it becomes the base), each other one into a private graph over the same stored rows. The
 * private graphs are then merged into the base: their join sets and upper-level rows by full
 * insertion, every other row by a level-0 search seeded from its segment neighbours (Lucene's
 * join-set merge). Batches too small to split are inserted as `parallel`.
 */
export const segmented: InsertStrategy = {
  name: 'segmented',
  description: 'segments built apart in workers, then merged by a join-set merge',
  validate: resolveOptions,
  async link(build, options: StrategyOptions) {
    const opts = resolveOptions(options);
    const { firstRow: first, count } = build;
    const segments = Math.min(opts.segments, Math.floor(count / opts.minSegmentRows));
    if (segments < 2) return linkParallel(build, first, first + count, options);
    const bounds = Array.from({ length: segments + 1 }, (_, s) => first + Math.round((s * count) / segments));
    await build.withWorkers({ threads: opts.threads, locking: true }, async (workers) => {
      const jobs: SegmentArgs[] = [{ base: bounds[0], count: bounds[1] - bounds[0], intoIndex: true, counter: sharedCounter(bounds[0]) }];
      for (let s = 1; s < segments; s++) jobs.push({ base: bounds[s], count: bounds[s + 1] - bounds[s], intoIndex: false });
      const built = await build.stage('segments', count, () => workers.queue(buildSegment, jobs));
      // The private segments' lists as batch-wide hints (graph rows), their join sets, the base as linked.
      const offsets = new Int32Array(count + 1);
      const join = new Uint8Array(count);
      const linked = new Uint8Array(count).fill(1, 0, bounds[1] - first);
      let total = 0;
      for (const seg of built) total += seg?.neighbors.length ?? 0;
      const neighbors = new Int32Array(total);
      let at = 0;
      for (let s = 1; s < segments; s++) {
        const seg = built[s]!,
          base = bounds[s];
        for (let local = 0; local < seg.offsets.length - 1; local++) {
          const i = base - first + local;
          for (let j = seg.offsets[local]; j < seg.offsets[local + 1]; j++) neighbors[at++] = base + seg.neighbors[j];
          offsets[i + 1] = at;
          join[i] = seg.join[local];
        }
      }
      await build.mergeRows({ offsets, neighbors, join, linked }, { workers, ef: opts.mergeEf, expand: opts.mergeExpand });
    });
    build.extra.segments = segments;
  },
};

interface SegmentArgs {
  readonly base: number;
  readonly count: number;
  /** The base segment: linked straight into the index's graph (rows taken from `counter`). */
  readonly intoIndex: boolean;
  readonly counter?: SharedArrayBuffer;
}

interface SegmentGraph {
  readonly offsets: Int32Array;
  readonly neighbors: Int32Array;
  readonly join: Uint8Array;
}

/** In a worker: link the base segment into the index, or build a private segment and return its level-0 lists and join set. */
export const buildSegment = workerTask(import.meta.url, 'buildSegment', (worker, a: SegmentArgs): SegmentGraph | undefined => {
  if (a.intoIndex) {
    const counter = new Int32Array(a.counter!),
      end = a.base + a.count;
    for (let row = takeNext(counter, end); row >= 0; row = takeNext(counter, end)) worker.linker.insert(row);
    return undefined;
  }
  const { offsets, neighbors } = worker.buildPrivateGraph(a.base, a.count);
  return { offsets, neighbors, join: computeJoinSet(offsets, neighbors) };
});
