import { sharedCounter, takeNext, workerTask, type BuildContext, type InsertStrategy } from '@hnswlab/core';
import { resolveOptions, type StrategyOptions } from './strategy-options.js';

/**
 * `threads` worker threads insert concurrently into the one graph, each taking the next row from a
 * shared counter, with per-node locks around link lists (as hnswlib does). The first rows of a tiny
 * graph are linked in the calling thread first, so workers do not all contend for a handful of nodes.
 */
export const parallel: InsertStrategy = {
  name: 'parallel',
  description: 'worker threads insert into the one graph at once, with per-node locks',
  validate: resolveOptions,
  link: (build, options: StrategyOptions) => linkParallel(build, build.firstRow, build.firstRow + build.count, options),
};

/** Link rows [start, end): a warm-up in this thread while the graph is tiny, the rest in workers. */
export async function linkParallel(build: BuildContext, start: number, end: number, options: StrategyOptions): Promise<void> {
  const opts = resolveOptions(options);
  const warmEnd = Math.min(end, Math.max(start, opts.warmupRows));
  if (warmEnd > start) {
    await build.stage('warm-up', warmEnd - start, () => {
      for (let row = start; row < warmEnd; row++) build.linker.insert(row);
    });
  }
  if (warmEnd >= end) return;
  await build.withWorkers({ threads: opts.threads, locking: true }, (workers) => {
    const args = { counter: sharedCounter(warmEnd), end };
    return build.stage('parallel', end - warmEnd, () => workers.each(linkRows, () => args));
  });
}

/** In each worker: full insertions of the rows taken from the shared counter until none are left. */
export const linkRows = workerTask(import.meta.url, 'linkRows', (worker, args: { counter: SharedArrayBuffer; end: number }) => {
  const counter = new Int32Array(args.counter);
  for (let row = takeNext(counter, args.end); row >= 0; row = takeNext(counter, args.end)) worker.linker.insert(row);
});
