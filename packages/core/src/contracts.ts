// The contracts between the core, the kernels and the insert strategies. Types only: no runtime code,
// so kernel packages can depend on these without pulling in the index.

/** Distance metric. l2 is squared Euclidean; ip is 1 − dot; cosine is 1 − dot over vectors the space normalises on write. */
export type Metric = 'l2' | 'cosine' | 'ip';

/**
 * How a worker thread re-creates a kernel: it imports `module` (an absolute file URL or a package
 * specifier) and calls its exported `createKernel(options)`.
 */
export interface KernelDescriptor {
  readonly module: string;
  readonly options?: unknown;
}

/**
 * A distance kernel. It owns the memory vectors live in (a {@link VectorSpace}), so an accelerated
 * kernel reads them without a copy, and it answers distances in batches through {@link DistanceProbe}s.
 */
export interface DistanceKernel {
  /** Which code path runs, e.g. `js`, `wasm-simd128`, `native-avx512`. */
  readonly name: string;
  /** Lets a worker thread load the same kernel. */
  readonly descriptor: KernelDescriptor;
  /** A new, empty vector space able to hold `capacity` rows before it grows. */
  createSpace(options: SpaceOptions): VectorSpace;
  /** The same space seen from another thread, from {@link VectorSpace.handle}. Never grows. */
  attachSpace(handle: SpaceHandle): VectorSpace;
}

export interface SpaceOptions {
  readonly dim: number;
  readonly metric: Metric;
  /** Rows to hold before the first growth. */
  readonly capacity: number;
}

/**
 * A structured-cloneable description of a space (shared buffers or a shared WebAssembly.Memory,
 * plus whatever the kernel needs), posted to workers.
 */
export interface SpaceHandle {
  readonly kernel: string;
  readonly dim: number;
  readonly metric: Metric;
  readonly capacity: number;
  readonly [key: string]: unknown;
}

/**
 * The kernel-owned vector store: `capacity` rows of `dim` float32, flat, growable, shareable with
 * workers. Rows are written once by the core (validated before) and then only read.
 */
export interface VectorSpace {
  readonly dim: number;
  readonly metric: Metric;
  /** Rows the space holds without growing. */
  readonly capacity: number;
  /** Bytes of memory the space holds (vectors and the probes' scratch). */
  readonly byteLength: number;
  /**
   * Grow (geometrically, contents kept) until at least `rows` rows fit. Every probe of this space
   * sees the new memory afterwards; callers re-read `probe.ids` and `probe.out` after a reserve.
   * Only the thread that created the space may call it, and never while workers use the space.
   */
  reserve(rows: number): void;
  /** Store `count` rows from `src` (row-major, starting at `srcOffset` floats) at `firstRow`. Cosine spaces store them normalised. */
  write(firstRow: number, src: Float32Array, count?: number, srcOffset?: number): void;
  /** A copy of a stored row, as stored (normalised under cosine). */
  read(row: number): Float32Array;
  /** Per-thread scratch for batched distance calls against this space, with room for `maxBatch` ids. */
  createProbe(maxBatch: number): DistanceProbe;
  /** What another thread passes to {@link DistanceKernel.attachSpace}. Taken after the last reserve. */
  handle(): SpaceHandle;
  /** Release what the space holds (native memory, wasm regions). The space is unusable after. */
  dispose(): void;
}

/**
 * One thread's batched distance calls: the query is set once, then `toRows(n)` computes the distances
 * from it to the rows named in `ids[0..n)` into `out[0..n)` in a single call across the kernel boundary.
 * `ids` and `out` may live in kernel memory; read the fields after every `reserve`, never keep them.
 */
export interface DistanceProbe {
  ids: Int32Array;
  out: Float32Array;
  readonly maxBatch: number;
  /** Use an outside vector as the query (normalised under cosine; validated by the caller). */
  setQuery(vector: Float32Array, offset?: number): void;
  /** Use a stored row as the query. */
  setQueryRow(row: number): void;
  /** out[i] = distance(query, ids[i]) for i < count. */
  toRows(count: number): void;
  /** distance(query, row). */
  toRow(row: number): number;
  /** out[i] = distance(stored row `row`, ids[i]) for i < count, in one call; the query is left as it was. */
  rowToRows(row: number, count: number): void;
  /**
   * The neighbour heuristic's test in one call: scanning ids[0..count) in order, the first i with
   * distance(stored row `row`, ids[i]) < bound, or count when there is none. Stops there, inside the
   * kernel, so a rejection costs as few distances as a per-pair loop without a crossing per pair.
   * The query is left as it was; out is scratch.
   */
  firstNearer(row: number, count: number, bound: number): number;
}

/** Options of {@link InsertStrategy.insert}. */
export interface InsertOptions {
  /** Worker threads to use, for the strategies that use them. */
  readonly threads?: number;
  readonly [key: string]: unknown;
}

/**
 * Drives the insertion of a batch. The index has validated the batch; the strategy links it into
 * the graph through the index's build API (`@hnswlab/core/internals`).
 */
export interface InsertStrategy {
  readonly name: string;
  insert(index: import('./hnsw-index.js').HnswIndex, vectors: Float32Array, ids: Uint32Array, options: InsertOptions): void | Promise<void>;
}

/** The phases insert time is split into, in the core's timers and in profile attribution. */
export type Phase = 'navigation' | 'neighborSearch' | 'connectionManagement' | 'storage';

export interface IndexStats {
  /** Distances computed (every element of every batched call counts one). */
  distanceEvals: number;
  /** Nodes whose link lists were expanded. */
  nodesVisited: number;
  /** Vectors inserted. */
  inserts: number;
  /** Seconds spent per phase of insertion. */
  phases: Record<Phase, number>;
  /** Bytes held: vectors (the kernel's space), graph (links, levels, locks), other (labels, tombstones, scratch). */
  bytes: { vectors: number; graph: number; other: number };
}

export interface SearchResult {
  ids: Uint32Array;
  distances: Float32Array;
}
