import { sharedCounter, takeNext, workerTask, type InsertStrategy } from '@hnswlab/core';
import { MAX_LEVEL } from '@hnswlab/core/layout';
import { resolveOptions, type StrategyOptions } from './strategy-options.js';

/**
 * Deterministic, lock-free batch insertion in the manner of ParlayANN: rows go in rounds of growing
 * size (prefix doubling: a round is at most the rows already linked, and at most `roundFraction` of the
 * final size). In a round every worker plans its rows' neighbours against the graph as frozen at the
 * round's start, writing nothing; then the new rows' lists are written and the reverse edges, grouped
 * by target, added by the one worker that owns the target. The same input and seed give the same graph
 * whatever the thread count.
 */
export const rounds: InsertStrategy = {
  name: 'rounds',
  description: 'deterministic lock-free rounds (prefix doubling): plan against a frozen graph, then apply',
  validate: resolveOptions,
  async link(build, options: StrategyOptions) {
    const opts = resolveOptions(options);
    const { firstRow: first, count } = build;
    const end = first + count;
    let next = first;
    if (build.entry < 0) {
      await build.stage('search', 1, () => build.linker.insert(first));
      next++;
    }
    if (next >= end) return;
    const stride = build.M + 1;
    const outOffsets = new Int32Array(new SharedArrayBuffer((count + 1) * 4));
    for (let i = 0; i < count; i++) outOffsets[i + 1] = outOffsets[i] + (build.level(first + i) + 1) * stride;
    const out = new Int32Array(new SharedArrayBuffer(outOffsets[count] * 4));
    const cap = Math.max(1, Math.ceil(opts.roundFraction * end));
    const shared = { first, outOffsets: outOffsets.buffer, out: out.buffer };
    let roundCount = 0;
    await build.withWorkers({ threads: opts.threads, locking: false }, async (workers) => {
      while (next < end) {
        const start = next,
          stop = Math.min(end, start + Math.min(start, cap));
        const top = build.maxLevel,
          entry = build.entry;
        const search = { ...shared, counter: sharedCounter(start), end: stop, entry, top };
        await build.stage('search', stop - start, () => workers.each(planRows, () => search));
        await build.stage('apply', stop - start, () => workers.each(applyRows, () => ({ ...shared, start, end: stop, top })));
        // The round's highest row (the first of equals) above the old top becomes the entry point.
        let best = -1;
        for (let u = start; u < stop; u++) if (build.level(u) > top && (best < 0 || build.level(u) > build.level(best))) best = u;
        if (best >= 0) build.setEntry(best, build.level(best));
        next = stop;
        roundCount++;
      }
    });
    build.extra.rounds = roundCount;
    build.extra.largestRound = cap;
  },
};

interface RoundBuffers {
  readonly first: number;
  /** Row u's planned lists start at out[outOffsets[u − first]]: level l at + l·(M + 1), a count then links. */
  readonly outOffsets: SharedArrayBuffer;
  readonly out: SharedArrayBuffer;
}

/** Step 1, for the rows taken: plan each level's neighbours against the frozen graph into `out`. Writes nothing to the graph. */
export const planRows = workerTask(
  import.meta.url,
  'planRows',
  (worker, a: RoundBuffers & { counter: SharedArrayBuffer; end: number; entry: number; top: number }) => {
    const counter = new Int32Array(a.counter),
      outOffsets = new Int32Array(a.outOffsets),
      out = new Int32Array(a.out);
    for (let u = takeNext(counter, a.end); u >= 0; u = takeNext(counter, a.end))
      worker.linker.plan(u, a.entry, a.top, out, outOffsets[u - a.first]);
  },
);

/**
 * Step 2, for the rows and targets this worker owns (row % workers === worker): write the owned new
 * rows' lists, then add the round's reverse edges into each owned target's list, grouped by target in
 * row order. Each list has exactly one writer, so no locks, and a target's result depends only on its
 * list and its sources: the same whatever the thread count.
 */
export const applyRows = workerTask(import.meta.url, 'applyRows', (w, a: RoundBuffers & { start: number; end: number; top: number }) => {
  const { start, end, first, top } = a;
  const outOffsets = new Int32Array(a.outOffsets),
    out = new Int32Array(a.out);
  const stride = w.M + 1,
    linker = w.linker;
  for (let u = start + ((((w.worker - start) % w.workers) + w.workers) % w.workers); u < end; u += w.workers) {
    const base = outOffsets[u - first];
    for (let l = Math.min(w.level(u), top); l >= 0; l--) linker.writeLinks(u, l, out, base + l * stride + 1, out[base + l * stride]);
  }
  // Sources per (target, level), in row order; a list is keyed target·(MAX_LEVEL + 1) + level.
  const sources = new Map<number, number[]>();
  for (let u = start; u < end; u++) {
    const base = outOffsets[u - first];
    for (let l = Math.min(w.level(u), top); l >= 0; l--) {
      const at = base + l * stride;
      for (let k = 1, n = out[at]; k <= n; k++) {
        const v = out[at + k];
        if (v % w.workers !== w.worker) continue;
        const key = v * (MAX_LEVEL + 1) + l;
        const list = sources.get(key);
        if (list) list.push(u);
        else sources.set(key, [u]);
      }
    }
  }
  for (const [key, us] of sources) {
    linker.addBackLinks(Math.floor(key / (MAX_LEVEL + 1)), key % (MAX_LEVEL + 1), Int32Array.from(us), 0, us.length);
  }
});
