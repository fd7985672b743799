import type { DistanceKernel, IndexStats, InsertOptions, InsertStrategy, Metric, SearchResult, VectorSpace } from './contracts.js';
import { checkGraph, type GraphReport } from './check.js';
import { Counters, now } from './counters.js';
import { Graph, H_DELETED, type GraphSnapshot } from './graph.js';
import { Inserter } from './inserter.js';
import { resolveMerger, type IndexMerger, type MergeOptions, type MergeReport } from './merger-registry.js';
import { Rng, drawLevel } from './rng.js';
import { resolveStrategy } from './strategy-registry.js';
import { checkId, checkMetric, checkPositiveInt, checkVectors } from './validate.js';

export interface HnswIndexOptions {
  dim: number;
  metric?: Metric;
  /** Links per node above level 0; level 0 keeps 2·M. Default 16. */
  M?: number;
  /** Beam width while inserting. Default 200. */
  efConstruction?: number;
  /** Beam width of search() when no ef is given (at least k). Default 64. */
  efSearch?: number;
  /** The distance kernel; every kernel package exports an async createKernel(). */
  kernel: DistanceKernel;
  /** Seeds the level draws: same data, order, seed and kernel give the same graph. Default 42. */
  seed?: number;
  /** Rows to hold before the first growth. Default 1024. */
  capacity?: number;
  /** Time the insert phases (navigation, neighbor search, ...). Counts are always kept. Default true. */
  timing?: boolean;
}

export interface AddBatchOptions extends InsertOptions {
  ids?: ArrayLike<number>;
  /** A registered strategy name or a strategy object. Default 'batched'. */
  strategy?: string | InsertStrategy;
}

/** A batch whose rows are allocated and stored but not yet (all) linked. */
export interface BatchPlan {
  readonly firstRow: number;
  readonly count: number;
  readonly levels: Uint8Array;
  readonly snapshot: GraphSnapshot | undefined;
  readonly labels: Uint32Array;
  readonly prevNextId: number;
  readonly prevRngState: number;
}

/**
 * An HNSW index (Malkov & Yashunin) over flat typed arrays. Vectors live in the kernel's space; the
 * graph lives in shared buffers that parallel strategies build into from worker threads.
 */
export class HnswIndex {
  readonly dim: number;
  readonly metric: Metric;
  readonly M: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly seed: number;
  readonly kernel: DistanceKernel;
  readonly space: VectorSpace;
  readonly graph: Graph;
  readonly counters: Counters;
  /** The main thread's searcher and inserter. */
  readonly inserter: Inserter;
  private readonly rowOf = new Map<number, number>();
  private readonly rng: Rng;
  private readonly levelMult: number;
  private nextId = 0;
  private live = 0;
  private queue: Promise<void> = Promise.resolve();
  private busy = false;

  constructor(options: HnswIndexOptions) {
    if (options === null || typeof options !== 'object') throw new TypeError('HnswIndex needs an options object with dim and kernel');
    this.dim = checkPositiveInt('dim', options.dim);
    this.metric = checkMetric(options.metric ?? 'l2');
    this.M = checkPositiveInt('M', options.M ?? 16, 2);
    if (this.M > 127) throw new RangeError(`M must be at most 127, got ${this.M}`);
    this.efConstruction = checkPositiveInt('efConstruction', options.efConstruction ?? 200);
    this.efSearch = checkPositiveInt('efSearch', options.efSearch ?? 64);
    this.seed = checkPositiveInt('seed', options.seed ?? 42, 0);
    const kernel = options.kernel;
    if (!kernel || typeof kernel.createSpace !== 'function') {
      throw new TypeError(
        "HnswIndex needs a kernel: `kernel: await createKernel()` from '@hnswlab/kernels-js' (or kernels-wasm, kernels-native)",
      );
    }
    this.kernel = kernel;
    const capacity = checkPositiveInt('capacity', options.capacity ?? 1024);
    this.space = kernel.createSpace({ dim: this.dim, metric: this.metric, capacity });
    this.graph = new Graph(this.M, capacity);
    this.counters = new Counters(options.timing ?? true);
    this.inserter = new Inserter(this.graph, this.space, this.counters, this.efConstruction);
    this.rng = new Rng(this.seed);
    this.levelMult = 1 / Math.log(this.M);
  }

  /** Live (not removed) vectors. */
  get size(): number {
    return this.live;
  }

  /** Insert one vector; returns its id (the given one, or the next free one). */
  add(vector: Float32Array, id?: number): number {
    this.assertIdle('add');
    checkVectors(vector, this.dim, this.metric, 'vector');
    const label = id === undefined ? this.nextId : checkId(id);
    if (this.rowOf.has(label)) throw new RangeError(`id ${label} is already in the index`);
    this.insertOne(vector, label);
    return label;
  }

  /**
   * Insert n vectors (row-major, n·dim floats) through a strategy. The whole batch is validated before
   * anything is written: on bad input the index is unchanged. Calls are queued, one batch at a time.
   */
  addBatch(vectors: Float32Array, options: AddBatchOptions = {}): Promise<Uint32Array> {
    let strategy: InsertStrategy;
    try {
      checkVectors(vectors, this.dim, this.metric, 'vectors', true);
      strategy = resolveStrategy(options.strategy ?? 'batched');
      if (options.threads !== undefined) checkPositiveInt('threads', options.threads);
      if (options.ids !== undefined) this.checkBatchIds(vectors.length / this.dim, options.ids);
    } catch (err) {
      return Promise.reject(err);
    }
    return HnswIndex.enqueue([this], async () => {
      // Ids are (re)checked and assigned when the batch runs, not when it was queued: batches queued
      // before it may have taken the same ids in the meantime.
      const ids = this.checkBatchIds(vectors.length / this.dim, options.ids);
      await strategy.insert(this, vectors, ids, options);
      return ids;
    });
  }

  /**
   * Add every live vector of `source` (same dim, metric, M and kernel) under its id: each row's search
   * starts from its neighbours in `source` instead of a full descent, except for a join set that
   * covers them (Lucene's merge). Needs the merger of '@hnswlab/strategies' (registerAll()). Queued
   * with this index's and the source's batches; an id in both indexes, or a failure, leaves this index unchanged.
   */
  merge(source: HnswIndex, options: MergeOptions = {}): Promise<MergeReport> {
    let merger: IndexMerger;
    try {
      if (!(source instanceof HnswIndex)) throw new TypeError('merge needs another HnswIndex');
      if (source === this) throw new RangeError('an index cannot be merged into itself');
      const mismatch = (['dim', 'metric', 'M'] as const).find((key) => source[key] !== this[key]);
      if (mismatch) throw new RangeError(`cannot merge: ${mismatch} differs (${String(source[mismatch])} into ${String(this[mismatch])})`);
      if (source.kernel.name !== this.kernel.name)
        throw new RangeError(`cannot merge: kernel differs (${source.kernel.name} into ${this.kernel.name})`);
      if (options.threads !== undefined) checkPositiveInt('threads', options.threads);
      merger = resolveMerger();
    } catch (err) {
      return Promise.reject(err);
    }
    return HnswIndex.enqueue([this, source], () => merger(this, source, options));
  }

  /**
   * The k nearest live vectors to `query`, nearest first. ef (beam width) defaults to max(k, efSearch).
   * While an addBatch runs in worker threads, a search sees the graph as the workers leave it at that
   * moment: rows of the batch may come back before the batch resolves.
   */
  search(query: Float32Array, k: number, options: { ef?: number } = {}): SearchResult {
    checkVectors(query, this.dim, this.metric, 'query');
    checkPositiveInt('k', k);
    const ef = options.ef === undefined ? Math.max(k, this.efSearch) : checkPositiveInt('ef', options.ef);
    if (ef < k) throw new RangeError(`ef (${ef}) must be at least k (${k})`);
    if (this.live === 0) return { ids: new Uint32Array(0), distances: new Float32Array(0) };
    const s = this.inserter;
    s.probe.setQuery(query);
    s.searchFromTop(ef);
    const res = s.results;
    while (res.size > k) res.pop();
    const n = res.size;
    const ids = new Uint32Array(n);
    const distances = new Float32Array(n);
    const labels = this.graph.labels;
    for (let i = n - 1; i >= 0; i--) {
      ids[i] = labels[res.topRow()];
      distances[i] = res.topKey();
      res.pop();
    }
    return { ids, distances };
  }

  /** Remove a vector: it stays in the graph as a waypoint but never comes back from search. */
  remove(id: number): void {
    this.assertIdle('remove');
    const row = this.rowOf.get(checkId(id));
    if (row === undefined) throw new RangeError(`id ${id} is not in the index`);
    this.rowOf.delete(id);
    this.graph.deleted[row] = 1;
    this.graph.header[H_DELETED]++;
    this.live--;
  }

  has(id: number): boolean {
    return this.rowOf.has(id);
  }

  /** A copy of a stored vector (normalised under cosine). */
  get(id: number): Float32Array {
    const row = this.rowOf.get(id);
    if (row === undefined) throw new RangeError(`id ${id} is not in the index`);
    return this.space.read(row);
  }

  stats(): IndexStats {
    const c = this.counters;
    const g = this.graph;
    // Map entries are estimated at 32 bytes each (V8's ordered hash table with small-integer keys).
    const other = g.labels.byteLength + g.deleted.byteLength + this.rowOf.size * 32 + this.inserter.scratchBytes();
    return {
      distanceEvals: c.distanceEvals,
      nodesVisited: c.nodesVisited,
      inserts: c.inserts,
      phases: {
        navigation: c.navigation,
        neighborSearch: c.neighborSearch,
        connectionManagement: c.connectionManagement,
        storage: c.storage,
      },
      bytes: { vectors: this.space.byteLength, graph: g.graphBytes(), other },
    };
  }

  /** Zero the counters (e.g. between a build and a search measurement). */
  resetStats(): void {
    this.counters.reset();
  }

  /** Checks the graph's invariants: bounds, no self or duplicate links, levels, entry point, labels. */
  check(): GraphReport {
    return checkGraph(this.graph, this.rowOf);
  }

  // ---- Build API for insert strategies (re-exported from @hnswlab/core/internals) ----

  /**
   * Allocate rows for a validated batch, store its vectors and labels, and draw its levels (in row
   * order, from the index's seeded generator, so every strategy gets the same levels). With
   * `snapshot`, the graph is copied first so {@link abortBatch} can restore it exactly.
   */
  beginBatch(vectors: Float32Array, labels: Uint32Array, snapshot: boolean): BatchPlan {
    const count = labels.length;
    const t0 = this.counters.timing ? now() : 0;
    const prevNextId = this.nextId;
    const prevRngState = this.rng.seed;
    const snap = snapshot ? this.graph.snapshot() : undefined;
    const levels = new Uint8Array(count);
    for (let i = 0; i < count; i++) levels[i] = drawLevel(this.rng, this.levelMult);
    const firstRow = this.graph.count;
    this.space.reserve(firstRow + count);
    this.space.write(firstRow, vectors, count, 0);
    this.graph.allocate(levels, labels);
    this.inserter.fitCapacity();
    for (let i = 0; i < count; i++) {
      this.rowOf.set(labels[i], firstRow + i);
      if (labels[i] >= this.nextId) this.nextId = labels[i] + 1;
    }
    if (this.counters.timing) this.counters.storage += now() - t0;
    return { firstRow, count, levels, snapshot: snap, labels, prevNextId, prevRngState };
  }

  /** Store and link one validated vector in this thread (the sequential path). */
  insertOne(vector: Float32Array, label: number): void {
    const plan = this.beginBatch(vector, Uint32Array.of(label), false);
    this.inserter.insert(plan.firstRow);
    this.commitBatch(plan);
  }

  /** The batch is linked: its vectors count as live. */
  commitBatch(plan: BatchPlan): void {
    this.live += plan.count;
  }

  /** Undo a batch begun with a snapshot: the graph, labels, id counter and level generator are as before it. */
  abortBatch(plan: BatchPlan): void {
    if (!plan.snapshot) throw new Error('abortBatch needs a batch begun with snapshot = true');
    this.graph.restore(plan.snapshot);
    for (const label of plan.labels) this.rowOf.delete(label);
    this.nextId = plan.prevNextId;
    this.rng.restore(plan.prevRngState);
  }

  private checkBatchIds(n: number, ids: ArrayLike<number> | undefined): Uint32Array {
    if (ids === undefined) {
      if (this.nextId + n - 1 > 0xffffffff) throw new RangeError('no free ids left: pass ids explicitly');
      const out = new Uint32Array(n);
      for (let i = 0; i < n; i++) out[i] = this.nextId + i;
      return out;
    }
    if (typeof ids !== 'object' || typeof ids.length !== 'number') throw new TypeError('ids must be an array of integers');
    if (ids.length !== n) throw new RangeError(`ids has ${ids.length} entries for ${n} vectors`);
    const out = new Uint32Array(n);
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const id = checkId(ids[i]);
      if (this.rowOf.has(id)) throw new RangeError(`id ${id} (batch row ${i}) is already in the index`);
      if (seen.has(id)) throw new RangeError(`id ${id} appears twice in the batch (row ${i})`);
      seen.add(id);
      out[i] = id;
    }
    return out;
  }

  /**
   * Run `task` after every batch or merge already queued on these indexes, with them marked busy; a
   * failed task rejects its own promise without blocking the queue.
   */
  private static enqueue<T>(indexes: HnswIndex[], task: () => Promise<T>): Promise<T> {
    const run = Promise.all(indexes.map((i) => i.queue)).then(async () => {
      for (const i of indexes) i.busy = true;
      try {
        return await task();
      } finally {
        for (const i of indexes) i.busy = false;
      }
    });
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    for (const i of indexes) i.queue = settled;
    return run;
  }

  private assertIdle(what: string): void {
    if (this.busy) throw new Error(`cannot ${what} while an addBatch is in progress: await it first`);
  }
}
