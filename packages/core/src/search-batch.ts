import { withIndexWorkers } from './batch.js';
import type { DistanceProbe } from './contracts.js';
import type { Counters } from './counters.js';
import { exactSearch } from './exact-search.js';
import type { Graph } from './graph.js';
import type { IndexState } from './index-state.js';
import type { Inserter } from './inserter.js';
import { rerank } from './rerank.js';
import { sharedCounter, takeNext } from './workers/shared-counter.js';
import { workerTask } from './workers/task.js';
import type { AttachedBuild } from './workers/worker-build.js';

/** Results of searchBatch: row q's k slots are ids[q·k .. q·k + k), nearest first. */
export interface BatchSearchResult {
  readonly k: number;
  /** Ids; slots past a query's count hold 0xffffffff. */
  readonly ids: Uint32Array;
  /** Distances; slots past a query's count hold Infinity. */
  readonly distances: Float32Array;
  /** Results found per query (less than k only when the index, or the filter, has fewer). */
  readonly counts: Uint32Array;
  /** With a filter: true when the allowed rows were scanned exactly. */
  readonly exact?: boolean;
}

/** What every thread of a batch search reads and writes (shared memory). */
export interface SearchArgs {
  readonly queries: SharedArrayBuffer;
  readonly dim: number;
  readonly n: number;
  readonly k: number;
  readonly ef: number;
  readonly skipDeleted: boolean;
  /** A bitset over rows, or null. */
  readonly filter: SharedArrayBuffer | null;
  readonly exact: boolean;
  /** Exact rerank factor (SearchOptions.rerank); 0 for none. */
  readonly rerank: number;
  readonly counter: SharedArrayBuffer;
  readonly ids: SharedArrayBuffer;
  readonly distances: SharedArrayBuffer;
  readonly counts: SharedArrayBuffer;
}

/** One thread's means to answer: its linker, the graph, and probes made on first use. */
interface Answerer {
  readonly linker: Inserter;
  readonly graph: Graph;
  readonly counters: Counters;
  exactProbe(): DistanceProbe;
  rerankProbe(): DistanceProbe;
}

/** Answer the queries taken from the shared counter, in this thread. */
function answer(t: Answerer, a: SearchArgs): void {
  const { linker, graph } = t;
  const counter = new Int32Array(a.counter),
    queries = new Float32Array(a.queries);
  const ids = new Uint32Array(a.ids),
    distances = new Float32Array(a.distances),
    counts = new Uint32Array(a.counts);
  const filter = a.filter ? new Uint32Array(a.filter) : null;
  const labels = graph.labels;
  for (let q = takeNext(counter, a.n); q >= 0; q = takeNext(counter, a.n)) {
    const query = queries.subarray(q * a.dim, (q + 1) * a.dim);
    const take = Math.max(a.k, a.rerank * a.k);
    const candidates = a.exact
      ? exactSearch(graph, t.exactProbe(), query, take, filter!)
      : linker.nearest(query, Math.max(a.ef, take), a.skipDeleted, filter);
    const found = a.rerank > 0 ? rerank(t.rerankProbe(), query, candidates, take, a.k, t.counters) : candidates;
    const n = Math.min(a.k, found.count);
    for (let i = 0; i < n; i++) {
      ids[q * a.k + i] = labels[found.rows[i]];
      distances[q * a.k + i] = found.dists[i];
    }
    counts[q] = n;
  }
}

export const searchTask = workerTask(import.meta.url, 'searchTask', (w, a: SearchArgs) => {
  const b = w as AttachedBuild;
  answer(b, a);
});

/**
 * Answer `n` queries on `threads` workers over the shared graph and vectors (in the calling thread
 * when threads is 1). The caller has validated the queries and holds the index's queue.
 */
export async function searchBatch(
  s: IndexState,
  args: Omit<SearchArgs, 'counter' | 'ids' | 'distances' | 'counts'>,
  threads: number,
): Promise<BatchSearchResult> {
  const slots = args.n * args.k;
  const full: SearchArgs = {
    ...args,
    counter: sharedCounter(0),
    ids: new SharedArrayBuffer(slots * 4),
    distances: new SharedArrayBuffer(slots * 4),
    counts: new SharedArrayBuffer(args.n * 4),
  };
  new Uint32Array(full.ids).fill(0xffffffff);
  new Float32Array(full.distances).fill(Infinity);
  if (threads <= 1) {
    answer(
      { linker: s.inserter, graph: s.graph, counters: s.counters, exactProbe: () => s.exactProbe(), rerankProbe: () => s.rerankProbe() },
      full,
    );
  } else {
    const g = s.graph;
    await withIndexWorkers(s, { threads, locking: false, firstRow: g.count, count: 0 }, (job) => job.each(searchTask, () => full));
  }
  return { k: args.k, ids: new Uint32Array(full.ids), distances: new Float32Array(full.distances), counts: new Uint32Array(full.counts) };
}
