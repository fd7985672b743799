import type { BatchReport } from './batch-report.js';
import { insertOne, runBatch } from './batch.js';
import { checkGraph, type GraphReport } from './check.js';
import type {
  Boundary,
  DistanceKernel,
  IndexStats,
  InsertOptions,
  InsertStrategy,
  Metric,
  Quantiser,
  SearchResult,
  VectorStore,
} from './contracts.js';
import { IndexState, STATES } from './index-state.js';
import { availableParallelism } from 'node:os';
import { compactIndex, type CompactReport } from './compact.js';
import { exactSearch } from './exact-search.js';
import { searchBatch, type BatchSearchResult } from './search-batch.js';
import { compileFilter, SearchFilter, type FilterInput } from './filter.js';
import { H_DELETED } from './layout.js';
import { checkMergeOptions, mergeIndex, type MergeOptions, type MergeReport } from './merge-index.js';
import { metricSpec } from './metrics/registry.js';
import { BOUNDARIES } from './names.js';
import { resolveStrategy } from './strategy-registry.js';
import { checkId, checkPositiveInt, checkVectors, describeValue } from './validate.js';
import { withFile } from './persist/load-file.js';
import { readHnswlib, type HnswlibOptions } from './persist/read-hnswlib.js';
import { bufferSource, readIndex, type LoadOptions } from './persist/read-index.js';
import { saveIndex, serializeIndex } from './persist/write-index.js';
import { rerank } from './rerank.js';
import { checkQuantiser } from './stores/quantiser.js';
import { kernelStore } from './stores/store-spec.js';

/** Passes a loaded state to the constructor; not exported, so only this module can use it. */
const ADOPT = Symbol('hnswlab.adopt');
type Adopting = HnswIndexOptions & { [ADOPT]?: IndexState };

export interface HnswIndexOptions {
  dim: number;
  /** A registered metric the kernel computes. Default 'l2'. */
  metric?: Metric;
  /** Links per node above level 0; level 0 keeps 2·M. Default 16. */
  M?: number;
  /** Beam width while inserting. Default 200. */
  efConstruction?: number;
  /** Beam width of search() when no ef is given (at least k). Default 64. */
  efSearch?: number;
  /** The distance kernel; every kernel package exports an async createKernel(). */
  kernel: DistanceKernel;
  /**
   * Where the core hands work to the kernel (see Boundary). Default: the kernel's fastest for the
   * store (`insert` where its space fuses traversal, `node` otherwise, as for the wasm kernel's
   * quantised stores). Every boundary builds the same graph.
   */
  boundary?: Boundary;
  /** Seeds the level draws: same data, order, seed and kernel give the same graph. Default 42. */
  seed?: number;
  /** Rows to hold before the first growth. Default 1024. */
  capacity?: number;
  /** Time the insert phases (navigation, neighbor search, ...). Counts are always kept. Default true. */
  timing?: boolean;
  /**
   * Compact (consolidate removed vectors and reuse their rows) before an insert once tombstones are
   * this fraction of the rows; 1 turns it off (compact() still works). Default 0.25.
   */
  compactAt?: number;
  /**
   * How vectors are stored and compared: 'f32' (default), 'f16' (IEEE half), 'i8' (a per-dimension
   * centre and one scale, integer distances) or 'b1' (a bit per dimension, Hamming distance). The
   * graph is built and searched on these codes; `search(…, { rerank })` re-scores the best candidates
   * with float32 rows where they are kept. The kernel must implement the store (`kernel.stores`).
   */
  store?: VectorStore;
  /**
   * Keep float32 rows beside the codes, for rerank and exact get(). Default true for 'b1', false for
   * 'f16' and 'i8'; an 'f32' store is its own full precision.
   */
  keepFullPrecision?: boolean;
  /**
   * 'i8' and 'b1': the quantiser (per-dimension centres and a scale). Default: learned from the first
   * batch added (see learnQuantiser), so make that batch representative; later vectors outside an i8
   * range are clamped and counted in stats().clamped.
   */
  quantiser?: Quantiser;
}

export interface AddBatchOptions extends InsertOptions {
  ids?: ArrayLike<number>;
  /** A registered strategy name or a strategy object. Default 'batched'. */
  strategy?: string | InsertStrategy;
}

export interface SearchBatchOptions extends SearchOptions {
  /** Worker threads (1: the calling thread). Default os.availableParallelism(). */
  threads?: number;
}

/** See {@link SearchOptions.filterMode}. */
export type FilterMode = 'auto' | 'graph' | 'exact';

export interface SearchOptions {
  /** Beam width, at least k. Default max(k, efSearch). */
  ef?: number;
  /**
   * Only these ids may be returned (see FilterInput; a SearchFilter from createFilter() is compiled
   * once for many searches). The graph search walks through other rows but never returns them; when
   * the filter allows so few rows that walking would cost more than scanning them, the allowed rows
   * are scanned exactly instead (the result says `exact: true`).
   */
  filter?: FilterInput;
  /**
   * How a filtered search finds its rows: 'auto' (default) scans the allowed rows exactly when there are
   * so few that walking the graph would cost more, else walks; 'graph' always walks (approximate);
   * 'exact' always scans the allowed rows (exact, cost linear in their number). Ignored without a filter.
   */
  filterMode?: FilterMode;
  /**
   * Exact rerank: take the best rerank·k candidates by the store's distance (the beam width is then
   * at least rerank·k), re-score them with the float32 rows, and return the k nearest by that exact
   * distance (the metric's float32 value). Needs float32 rows: store 'f32' or keepFullPrecision.
   * Without it, a quantised store's distances are its own (decoded f16, i8 integer arithmetic, b1 bit
   * counts).
   */
  rerank?: number;
}

/**
 * An HNSW index (Malkov & Yashunin) over flat typed arrays. Vectors and the graph live in the
 * kernel's memory; batches are linked by insert strategies, all or nothing, one at a time.
 */
export class HnswIndex {
  readonly dim: number;
  readonly metric: Metric;
  readonly M: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly seed: number;
  readonly kernel: DistanceKernel;
  readonly boundary: Boundary;
  /** See HnswIndexOptions.compactAt. */
  readonly compactAt: number;
  /** How vectors are stored (HnswIndexOptions.store). */
  readonly store: VectorStore;
  /** Float32 rows are held beside the codes (always true for 'f32'): rerank is possible. */
  readonly keepFullPrecision: boolean;
  readonly #s: IndexState;
  #queue: Promise<void> = Promise.resolve();
  #busy = false;
  #disposed = false;

  constructor(options: HnswIndexOptions) {
    const adopted = (options as Adopting | null)?.[ADOPT];
    if (adopted) {
      const p = adopted.params;
      ({ dim: this.dim, metric: this.metric, M: this.M, efConstruction: this.efConstruction, efSearch: this.efSearch } = p);
      ({ seed: this.seed, kernel: this.kernel, boundary: this.boundary } = p);
      ({ store: this.store, keepFullPrecision: this.keepFullPrecision } = p);
      this.compactAt = DEFAULT_COMPACT_AT;
      this.#s = adopted;
      STATES.set(this, adopted);
      return;
    }
    if (options === null || typeof options !== 'object') throw new TypeError('HnswIndex needs an options object with dim and kernel');
    const dim = checkPositiveInt('dim', options.dim);
    const spec = metricSpec(options.metric ?? 'l2');
    const M = checkPositiveInt('M', options.M ?? 16, 2);
    if (M > 127) throw new RangeError(`M must be at most 127, got ${M}`);
    const efConstruction = checkPositiveInt('efConstruction', options.efConstruction ?? 200);
    const efSearch = checkPositiveInt('efSearch', options.efSearch ?? 64);
    const seed = checkPositiveInt('seed', options.seed ?? 42, 0);
    const kernel = options.kernel;
    if (!kernel || typeof kernel.createSpace !== 'function') {
      throw new TypeError(
        "HnswIndex needs a kernel: `kernel: await createKernel()` from '@hnswlab/kernels-js' (or kernels-wasm, kernels-native)",
      );
    }
    const computes = kernel.metrics ?? ['l2', 'ip', 'cosine'];
    if (!computes.includes(spec.name)) {
      throw new RangeError(`the ${kernel.name} kernel does not compute metric '${spec.name}' (it computes ${computes.join(', ')})`);
    }
    const supported = kernel.boundaries ?? ['pair', 'node'];
    const boundary = options.boundary;
    if (boundary !== undefined && !BOUNDARIES.includes(boundary))
      throw new RangeError(`unknown boundary ${describeValue(boundary)}: use one of ${BOUNDARIES.join(', ')}`);
    if (boundary !== undefined && !supported.includes(boundary)) {
      throw new RangeError(`the ${kernel.name} kernel does not support boundary '${boundary}' (it supports ${supported.join(', ')})`);
    }
    const store = kernelStore(kernel, options.store ?? 'f32');
    const keep = options.keepFullPrecision ?? store.keepsFullPrecision;
    if (typeof keep !== 'boolean') throw new TypeError(`keepFullPrecision must be a boolean, got ${describeValue(keep)}`);
    const quantiser = options.quantiser === undefined ? null : checkQuantiser(options.quantiser, dim, store.name);
    const capacity = checkPositiveInt('capacity', options.capacity ?? 1024);
    const compactAt = options.compactAt ?? DEFAULT_COMPACT_AT;
    if (typeof compactAt !== 'number' || !(compactAt > 0 && compactAt <= 1))
      throw new RangeError(`compactAt must be in (0, 1], got ${describeValue(compactAt)}`);
    this.compactAt = compactAt;
    this.dim = dim;
    this.metric = spec.name;
    this.M = M;
    this.efConstruction = efConstruction;
    this.efSearch = efSearch;
    this.seed = seed;
    this.kernel = kernel;
    this.store = store.name;
    this.keepFullPrecision = store.name === 'f32' || keep;
    this.#s = new IndexState(
      {
        dim,
        metric: spec.name,
        M,
        efConstruction,
        efSearch,
        seed,
        kernel,
        boundary,
        capacity,
        timing: options.timing ?? true,
        store: store.name,
        keepFullPrecision: this.keepFullPrecision,
        quantiser,
      },
      spec,
    );
    this.boundary = this.#s.params.boundary;
    STATES.set(this, this.#s);
  }

  /** Live (not removed) vectors. */
  get size(): number {
    return this.#s.live;
  }

  /** Insert one vector; returns its id (the given one, or one above every id used so far). */
  add(vector: Float32Array, id?: number): number {
    this.#assertIdle('add');
    checkVectors(vector, this.dim, this.#s.metricSpec.normalise, 'vector');
    const label = this.#checkIds(1, id === undefined ? undefined : [id])[0];
    this.#maybeCompact();
    insertOne(this.#s, vector, label);
    return label;
  }

  /**
   * Insert n vectors (row-major, n·dim floats) through a strategy. The whole batch is validated and
   * copied when the call is made (the caller may reuse its buffer at once); nothing is written on
   * bad input. Batches are queued and run one at a time; a batch that fails is rolled back whole.
   */
  addBatch(vectors: Float32Array, options: AddBatchOptions = {}): Promise<Uint32Array> {
    let strategy: InsertStrategy;
    let copy: Float32Array;
    try {
      this.#assertOpen();
      checkVectors(vectors, this.dim, this.#s.metricSpec.normalise, 'vectors', true);
      strategy = resolveStrategy(options.strategy ?? 'batched');
      if (options.threads !== undefined) checkPositiveInt('threads', options.threads);
      strategy.validate?.(options);
      if (options.ids !== undefined) this.#checkIds(vectors.length / this.dim, options.ids);
      copy = vectors.slice();
    } catch (err) {
      return Promise.reject(err);
    }
    return HnswIndex.#enqueue([this], async () => {
      // Ids are (re)checked and assigned when the batch runs, not when it was queued: batches queued
      // before it may have taken the same ids in the meantime.
      const ids = this.#checkIds(copy.length / this.dim, options.ids);
      this.#maybeCompact();
      await runBatch(this.#s, copy, ids, strategy, options);
      return ids;
    });
  }

  /**
   * Add every live vector of `source` (same dim, metric, M and kernel) under its id: each row's search
   * starts from its neighbours in `source` instead of a full descent, except for a join set that
   * covers them (Lucene's merge). Queued with this index's and the source's batches; an id in both
   * indexes, or a failure, leaves this index unchanged.
   */
  merge(source: HnswIndex, options: MergeOptions = {}): Promise<MergeReport> {
    try {
      this.#assertOpen();
      if (!(source instanceof HnswIndex)) throw new TypeError('merge needs another HnswIndex');
      if (source === this) throw new RangeError('an index cannot be merged into itself');
      source.#assertOpen();
      const mismatch = (['dim', 'metric', 'M', 'store'] as const).find((key) => source[key] !== this[key]);
      if (mismatch) throw new RangeError(`cannot merge: ${mismatch} differs (${String(source[mismatch])} into ${String(this[mismatch])})`);
      if (source.kernel.name !== this.kernel.name)
        throw new RangeError(`cannot merge: kernel differs (${source.kernel.name} into ${this.kernel.name})`);
      checkMergeOptions(options);
    } catch (err) {
      return Promise.reject(err);
    }
    return HnswIndex.#enqueue([this, source], () => mergeIndex(this.#s, source.#s, options));
  }

  /**
   * The k nearest live vectors to `query`, nearest first. ef (beam width) defaults to max(k, efSearch).
   * While an addBatch runs in worker threads, a search sees the graph as the workers leave it at that
   * moment: rows of the batch may come back before the batch resolves.
   */
  search(query: Float32Array, k: number, options: SearchOptions = {}): SearchResult {
    this.#assertOpen();
    checkVectors(query, this.dim, this.#s.metricSpec.normalise, 'query');
    checkPositiveInt('k', k);
    const ef = options.ef === undefined ? Math.max(k, this.efSearch) : checkPositiveInt('ef', options.ef);
    if (ef < k) throw new RangeError(`ef (${ef}) must be at least k (${k})`);
    const again = this.#checkRerank(options.rerank);
    const mode = checkFilterMode(options.filterMode);
    const s = this.#s;
    const filter = options.filter === undefined ? undefined : compileFilter(s, options.filter, this);
    if (s.live === 0 || filter?.allowed === 0) return { ids: new Uint32Array(0), distances: new Float32Array(0) };
    const width = Math.max(ef, again * k);
    const exact = filter !== undefined && chooseExact(mode, filter.allowed, width, 2 * this.M, s.live);
    const candidates = exact
      ? exactSearch(s.graph, s.exactProbe(), query, Math.max(k, again * k), filter.rows)
      : s.inserter.nearest(query, width, s.graph.header[H_DELETED] > 0, filter?.rows ?? null);
    if (exact) s.counters.distanceEvals += filter.allowed;
    const found = again > 0 ? rerank(s.rerankProbe(), query, candidates, again * k, k, s.counters) : candidates;
    const n = Math.min(k, found.count);
    const ids = new Uint32Array(n);
    const distances = new Float32Array(n);
    const labels = s.graph.labels;
    for (let i = 0; i < n; i++) {
      ids[i] = labels[found.rows[i]];
      distances[i] = found.dists[i];
    }
    return filter ? { ids, distances, exact } : { ids, distances };
  }

  /**
   * Answer many queries (row-major, n·dim floats) on `threads` worker threads over the shared graph
   * and vectors (default: every core; 1 answers in the calling thread), results in flat arrays: query
   * q's k slots are ids[q·k ..), nearest first. The queries are validated and copied when called. It
   * runs in the index's queue: after batches queued before it, and batches called meanwhile wait for
   * it, so it always sees a whole index.
   */
  searchBatch(queries: Float32Array, k: number, options: SearchBatchOptions = {}): Promise<BatchSearchResult> {
    let shared: SharedArrayBuffer, ef: number, threads: number, again: number, mode: FilterMode;
    try {
      this.#assertOpen();
      checkVectors(queries, this.dim, this.#s.metricSpec.normalise, 'queries', true);
      checkPositiveInt('k', k);
      ef = options.ef === undefined ? Math.max(k, this.efSearch) : checkPositiveInt('ef', options.ef);
      if (ef < k) throw new RangeError(`ef (${ef}) must be at least k (${k})`);
      again = this.#checkRerank(options.rerank);
      mode = checkFilterMode(options.filterMode);
      threads = options.threads === undefined ? availableParallelism() : checkPositiveInt('threads', options.threads);
      shared = new SharedArrayBuffer(queries.byteLength);
      new Float32Array(shared).set(queries);
    } catch (err) {
      return Promise.reject(err);
    }
    return HnswIndex.#enqueue([this], async () => {
      const s = this.#s;
      const filter = options.filter === undefined ? undefined : compileFilter(s, options.filter, this);
      const n = queries.length / this.dim;
      const exact = filter !== undefined && chooseExact(mode, filter.allowed, Math.max(ef, again * k), 2 * this.M, s.live);
      if (exact) s.counters.distanceEvals += filter.allowed * n;
      let rows: SharedArrayBuffer | null = null;
      if (filter) {
        rows = new SharedArrayBuffer(filter.rows.byteLength);
        new Uint32Array(rows).set(filter.rows);
      }
      const skipDeleted = s.graph.header[H_DELETED] > 0;
      const result = await searchBatch(
        s,
        { queries: shared, dim: this.dim, n, k, ef, skipDeleted, filter: rows, exact, rerank: again },
        s.live === 0 ? 1 : threads,
      );
      return exact ? { ...result, exact } : result;
    });
  }

  /** A filter compiled once for many searches (valid until the index changes; a stale one is compiled again). */
  createFilter(ids: FilterInput): SearchFilter {
    this.#assertOpen();
    return compileFilter(this.#s, ids, this);
  }

  /** Remove a vector: it stays in the graph as a waypoint but never comes back from search. */
  remove(id: number): void {
    this.#assertIdle('remove');
    const s = this.#s;
    const row = s.rowOf.get(checkId(id));
    if (row === undefined) throw new RangeError(`id ${id} is not in the index`);
    s.rowOf.delete(id);
    s.graph.deleted[row] = 1;
    s.graph.header[H_DELETED]++;
    s.live--;
    s.version++;
  }

  /**
   * Insert `vector` under `id`, replacing the vector that id has (if any): the old row is removed and
   * the new one linked, all or nothing (if the insert fails, the old vector is back). Returns the id.
   */
  upsert(vector: Float32Array, id: number): number {
    this.#assertIdle('upsert');
    checkVectors(vector, this.dim, this.#s.metricSpec.normalise, 'vector');
    const label = checkId(id);
    const s = this.#s;
    const row = s.rowOf.get(label);
    if (row === undefined) return this.add(vector, label);
    this.remove(label);
    try {
      insertOne(s, vector, label);
    } catch (err) {
      s.rowOf.set(label, row);
      s.graph.deleted[row] = 0;
      s.graph.header[H_DELETED]--;
      s.live++;
      throw err;
    }
    this.#maybeCompact();
    return label;
  }

  /**
   * Consolidate removed vectors now (see compactIndex): links through them are repaired from their
   * neighbours, and their rows and memory are reused by later inserts. Also runs by itself before an
   * insert once tombstones pass `compactAt` of the rows. Queued like a batch.
   */
  compact(): Promise<CompactReport> {
    try {
      this.#assertOpen();
    } catch (err) {
      return Promise.reject(err);
    }
    return HnswIndex.#enqueue([this], async () => this.#compactNow());
  }

  #compactNow(): CompactReport {
    const report = compactIndex(this.#s);
    this.#s.reclaimedBytes += report.reclaimedBytes;
    return report;
  }

  /** Compact when tombstones pass the compactAt fraction of the rows (before an insert, so rows are reused). */
  #maybeCompact(): void {
    const g = this.#s.graph;
    if (this.compactAt < 1 && g.header[H_DELETED] > 0 && g.header[H_DELETED] >= this.compactAt * g.count) this.#compactNow();
  }

  has(id: number): boolean {
    return this.#s.rowOf.has(id);
  }

  /**
   * A copy of a stored vector (normalised under cosine). A quantised store without float32 rows kept
   * returns its decoded codes, not the vector that was added.
   */
  get(id: number): Float32Array {
    this.#assertOpen();
    const row = this.#s.rowOf.get(id);
    if (row === undefined) throw new RangeError(`id ${describeValue(id)} is not in the index`);
    return this.#s.space.read(row);
  }

  stats(): IndexStats {
    const s = this.#s,
      c = s.counters,
      g = s.graph;
    // Map entries are estimated at 32 bytes each (V8's ordered hash table with small-integer keys).
    const other = g.labelBytes() + s.rowOf.size * 32 + s.inserter.scratchBytes();
    return {
      distanceEvals: c.distanceEvals,
      nodesVisited: c.nodesVisited,
      inserts: c.inserts,
      kernelCalls: c.kernelCalls,
      phases: {
        navigation: c.navigation,
        neighborSearch: c.neighborSearch,
        connectionManagement: c.connectionManagement,
        storage: c.storage,
      },
      lockWait: c.lockWait,
      lockSpins: c.lockSpins,
      tombstones: g.header[H_DELETED],
      reclaimedBytes: s.reclaimedBytes,
      clamped: s.clamped,
      bytes: { vectors: s.space.byteLength, graph: g.graphBytes(), other },
    };
  }

  /** Zero the counters (e.g. between a build and a search measurement). */
  resetStats(): void {
    this.#s.counters.reset();
  }

  /** Checks the graph's invariants: bounds, no self or duplicate links, levels, entry point, the id map. */
  check(): GraphReport {
    return checkGraph(this.#s.graph, this.#s.rowOf);
  }

  /**
   * Write the index to `path` (format: packages/core/FORMAT.md), crash-safely: a temporary file is
   * written, flushed and renamed over `path`, so `path` never holds half a file. Waits for queued
   * batches; batches called meanwhile wait for the save. Resolves to the file's size in bytes.
   */
  save(path: string): Promise<{ bytes: number }> {
    try {
      this.#assertOpen();
      if (typeof path !== 'string' || path === '') throw new TypeError('save needs a file path');
    } catch (err) {
      return Promise.reject(err);
    }
    return HnswIndex.#enqueue([this], () => saveIndex(this.#s, path));
  }

  /** The index file as bytes, for callers without a file system. Not while a batch runs. */
  serialize(): Uint8Array {
    this.#assertIdle('serialize');
    return serializeIndex(this.#s);
  }

  /**
   * Read an index written by save() into `kernel` (any kernel that implements the file's store: the
   * file holds the rows (float32, or a quantised store's codes, quantiser and kept float32 rows) and
   * the graph, whichever kernel wrote it). The file is validated before use: a damaged or crafted file
   * throws an error naming the section, never a crash, a hang or a giant allocation. The loaded
   * index continues exactly where the saved one was (ids, level generator, tombstones).
   */
  static async load(path: string, options: LoadOptions): Promise<HnswIndex> {
    return new HnswIndex({ [ADOPT]: await withFile(path, (source) => readIndex(source, options)) } as Adopting);
  }

  /**
   * Read an index written by hnswlib (hnswlib-node's writeIndex, the C++ format) into `kernel`: the
   * same graph, ids, tombstones and vectors, so it answers as the hnswlib index did. The file does not
   * record its metric: pass the one it was built with. Checked like load() (hnswlib's file has no
   * checksum: sizes, link targets and ids are).
   */
  static async fromHnswlib(path: string, options: HnswlibOptions): Promise<HnswIndex> {
    return new HnswIndex({ [ADOPT]: await withFile(path, (source) => readHnswlib(source, options)) } as Adopting);
  }

  /** The index in `bytes` (from serialize() or a file), validated as load() does. */
  static deserialize(bytes: Uint8Array, options: LoadOptions): HnswIndex {
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`deserialize needs a Uint8Array, got ${describeValue(bytes)}`);
    return new HnswIndex({ [ADOPT]: readIndex(bufferSource(bytes), options) } as Adopting);
  }

  /** What the last batch (addBatch or merge) did: stages, threads, work, lock waits; undefined before the first. */
  lastBatchReport(): BatchReport | undefined {
    return this.#s.lastBatch;
  }

  /** Free the kernel memory the index holds (a wasm memory is otherwise freed only by the GC). The index is unusable after. */
  dispose(): void {
    this.#assertIdle('dispose');
    if (this.#disposed) return;
    this.#disposed = true;
    this.#s.dispose();
  }

  /** Ids for n rows: the given ones, checked, or the next free ones. */
  #checkIds(n: number, ids: ArrayLike<number> | undefined): Uint32Array {
    const s = this.#s;
    if (ids === undefined) {
      if (s.nextId + n - 1 > 0xffffffff) {
        throw new RangeError(`no free ids left above ${s.nextId - 1}: ids go up to 4294967295, pass ids explicitly`);
      }
      const out = new Uint32Array(n);
      for (let i = 0; i < n; i++) out[i] = s.nextId + i;
      return out;
    }
    if (typeof ids !== 'object' || ids === null || typeof ids.length !== 'number') throw new TypeError('ids must be an array of integers');
    if (ids.length !== n) throw new RangeError(`ids has ${ids.length} entries for ${n} vectors`);
    const out = new Uint32Array(n);
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const id = checkId(ids[i]);
      if (s.rowOf.has(id)) throw new RangeError(`id ${id}${n > 1 ? ` (batch row ${i})` : ''} is already in the index`);
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
  static #enqueue<T>(indexes: HnswIndex[], task: () => Promise<T>): Promise<T> {
    const run = Promise.all(indexes.map((i) => i.#queue)).then(async () => {
      for (const i of indexes) i.#busy = true;
      try {
        return await task();
      } finally {
        for (const i of indexes) i.#busy = false;
      }
    });
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    for (const i of indexes) i.#queue = settled;
    return run;
  }

  /** The rerank factor (0: none), checked against what the index keeps. */
  #checkRerank(value: number | undefined): number {
    if (value === undefined) return 0;
    const again = checkPositiveInt('rerank', value);
    if (!this.keepFullPrecision) {
      throw new RangeError(
        `rerank needs float32 rows, and this '${this.store}' index keeps only its codes: create it with keepFullPrecision: true`,
      );
    }
    return again;
  }

  #assertOpen(): void {
    if (this.#disposed) throw new Error('this index was disposed');
  }

  #assertIdle(what: string): void {
    this.#assertOpen();
    if (this.#busy) throw new Error(`cannot ${what} while an addBatch is in progress: await it first`);
  }
}

/**
 * Whether scanning the `allowed` rows costs less than a filtered graph search: the search must reach
 * about ef / selectivity rows, each costing up to M0 distances, against `allowed` distances for the
 * scan; they cross at allowed ≈ √(ef · M0 · live). The factor was measured (see the README).
 */
/**
 * A filtered walk evaluates about ef·M0/selectivity distances, a scan `allowed` = selectivity·live:
 * they cross at allowed ≈ √(ef·M0·live). EXACT_FACTOR scales that, by measurement (native, ef 64,
 * packages/strategies/scripts/filter-crossover.mjs): the two cross at 0.68 of it on 100k × 128
 * clustered rows, while on GloVe-100 100k the scan still wins at 0.88 (the walk needs a wider beam
 * there for the same recall). 0.9 loses ≤ 6% at the first crossing and gains 35% at the second.
 */
function chooseExact(mode: FilterMode, allowed: number, ef: number, M0: number, live: number): boolean {
  if (mode !== 'auto') return mode === 'exact';
  return allowed <= EXACT_FACTOR * Math.sqrt(ef * M0 * live);
}

const FILTER_MODES: readonly FilterMode[] = ['auto', 'graph', 'exact'];

function checkFilterMode(mode: FilterMode | undefined): FilterMode {
  if (mode === undefined) return 'auto';
  if (!FILTER_MODES.includes(mode))
    throw new RangeError(`filterMode must be one of ${FILTER_MODES.join(', ')} (got ${describeValue(mode)})`);
  return mode;
}

const EXACT_FACTOR = 0.9;
const DEFAULT_COMPACT_AT = 0.25;
