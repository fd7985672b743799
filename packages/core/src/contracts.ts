// The contracts between the core, the kernels and the insert strategies. Types only: no runtime code
// and no imports, so kernel and strategy packages depend on these without pulling in the index.
//
// Data flows one way: vectors → a store the kernel owns (VectorSpace) → the kernel's calls (a
// DistanceProbe per expanded node, or a FusedTraversal per layer or per insert) over graph memory
// the kernel can address (GraphLayout) ← the core's rules ← strategies that link a batch through a
// BuildContext.
//
// Threading rules, stated once:
// - A space grows (reserve, allocate, resize) only in the thread that created it, and never while a
//   worker uses it. Workers attach spaces and graphs from handles; attached ones never grow.
// - Growth may move memory: every typed-array view handed out before a growth is re-read afterwards
//   (probe.ids/out, traversal views, the graph's arrays). Nobody keeps one across a growth.
// - While a batch is linked by several threads, a row's link lists are read and written only under
//   its lock word (GraphLayout.locks: 0 free, 1 held, 2 held with sleepers), taken with a
//   compare-and-swap; a row that may become the new top holds the header's global lock for its whole
//   insertion. Fused kernels follow the same protocol on the same words.
// - Before a batch writes any list of a row that existed before the batch, it logs the row's lists to
//   the undo log (see GraphLayout) so that a failed batch can be rolled back exactly.
// - A quantised space's quantiser is set once, in the owner thread, before its first write and before
//   any handle is taken; it never changes after (workers receive it through the handle).

/** A distance metric's name: the built-in ones, or one registered with `registerMetric`. */
export type Metric = 'l2' | 'cosine' | 'ip' | (string & {});

/** The phases insert time is split into, in the core's timers and in profile attribution. */
export type Phase = 'navigation' | 'neighborSearch' | 'connectionManagement' | 'storage';

/**
 * Where the JavaScript core hands work to the kernel:
 * - `pair`: one call per distance (the predecessor's shape, kept to make its cost visible);
 * - `node`: one batched call per expanded node (JS traversal, the reference);
 * - `layer`: one call per layer search (kernel traversal, JS neighbour selection);
 * - `insert`: one call per inserted vector (and per query).
 */
export type Boundary = 'pair' | 'node' | 'layer' | 'insert';

/** A metric: its name, whether vectors are scaled to unit length on write, and its float64 reference. */
export interface MetricSpec {
  readonly name: string;
  /** Rows and queries are normalised before use (cosine); a zero vector is then invalid input. */
  readonly normalise: boolean;
  /** The exact distance, in float64, between two vectors as the space stores them: the conformance reference. */
  reference(a: Float32Array, b: Float32Array): number;
  /** Largest acceptable |kernel − reference| for this pair (rounding of a float32 kernel). */
  tolerance(a: Float32Array, b: Float32Array, reference: number): number;
}

/**
 * How a worker thread re-creates a kernel: it imports `module` (an absolute file URL or a package
 * specifier) and calls its exported `createKernel(options)`.
 */
export interface KernelDescriptor {
  readonly module: string;
  readonly options?: unknown;
}

/**
 * A distance kernel. It owns the memory vectors and the graph live in (a {@link VectorSpace}), so an
 * accelerated kernel reads them without a copy, and answers distances in batches through
 * {@link DistanceProbe}s or, when it fuses traversal, through {@link FusedTraversal}s.
 */
export interface DistanceKernel {
  /** Which code path runs, e.g. `js`, `wasm-simd128`, `native-avx512`. */
  readonly name: string;
  /** Lets a worker thread load the same kernel. */
  readonly descriptor: KernelDescriptor;
  /** The metrics this kernel computes. */
  readonly metrics: readonly Metric[];
  /** The boundaries its spaces support, slowest first: an index uses the last one unless told otherwise. */
  readonly boundaries: readonly Boundary[];
  /**
   * The stores ({@link VectorStore}) its spaces implement; absent means `['f32']`. A kernel that lists
   * a store other than `f32` returns a {@link QuantisedSpace} for it, and throws from createSpace
   * for a store it does not list.
   */
  readonly stores?: readonly VectorStore[];
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
  /** How rows are stored and compared. Default 'f32'. */
  readonly store?: VectorStore;
  /**
   * Quantised stores: also keep each row's float32 values (as stored under the metric: unit length
   * under cosine), for exact distances (`createProbe(n, { exact: true })`), `read` and `rows`.
   * Default true for 'b1' (its codes alone rank too coarsely), false for 'f16' and 'i8'. An 'f32'
   * store is its own full precision and ignores this.
   */
  readonly keepFullPrecision?: boolean;
  /**
   * 'i8' and 'b1': the quantiser, known at creation (given by the caller, or read from a file).
   * Without it, {@link QuantisedSpace.setQuantiser} must be called before the first write.
   */
  readonly quantiser?: Quantiser;
}

/**
 * How a space stores its rows; the graph is built and searched on what is stored (the "codes").
 * Every formula below is part of the contract: a kernel computes these values, not approximations of
 * them, so that files, graphs and answers agree across kernels. Under cosine, rows and queries are
 * first normalised as the f32 store does (sum of squares in float64, j ascending; each component
 * times 1/√sum, rounded to float32), and the normalised float32 row is what is encoded.
 *
 * - `f32`: dim float32 per row. Distances: the metric's float32 formula (within MetricSpec.tolerance).
 * - `f16`: dim IEEE 754 binary16 per row (uint16), rounded to nearest, ties to even, from the float32
 *   value; a component with |x| > 65504 is stored as ±65504 and its row counted as clamped. Decoding is
 *   exact. Distances: the metric's formula between the query in float32 (an outside query is not
 *   rounded to f16; a stored row as the query is its decoded row) and the decoded row, within the
 *   metric's tolerance over those two vectors.
 * - `i8`: dim int8 per row: q_j = clamp(roundHalfEven(t_j), −127, 127) with t_j = (x_j − c_j) / s in
 *   float64, c and s the {@link Quantiser}'s centre and scale; a row with some t_j ≥ 127.5 or ≤ −127.5
 *   is counted as clamped; −128 is never written. An outside query is encoded the same way (not
 *   counted), so traversal is integer work on both sides. Distances, exactly (float64 operations in
 *   the order written, then one rounding to float32; S and I are integers, exact in any order since
 *   dim·254² < 2^53; s² is exact in float64):
 *     l2:         S = Σ_j (qa_j − qb_j)²                      d = fround(S · s²)
 *     ip, cosine: I = Σ_j qa_j·qb_j, P(q) = Σ_j c_j·q_j and C = Σ_j c_j² (float64, j ascending),
 *                 d = fround(1 − ((C + s·(P(qa) + P(qb))) + s²·I))
 *   P per row and C are scalar sums computed once (per write, per query, per quantiser), never in
 *   the inner loop. Decoding (read, when no float32 rows are kept): fround(c_j + s·q_j).
 * - `b1`: ⌈dim/32⌉ uint32 words per row; bit j (bit j & 31 of word j >> 5) is 1 iff x_j > c_j (float32
 *   comparison); padding bits are 0. Distance for every metric: the Hamming distance Σ popcount(a ⊕ b),
 *   a float32 integer. An outside query is encoded the same way. Decoding: c_j + s (bit 1) or c_j − s.
 *   Precision comes back through exact rerank over kept float32 rows.
 *
 * Code bytes per row (the `codes` view and the file's `codes` section): 4·dim, 2·dim, dim and
 * 4·⌈dim/32⌉. Little-endian, rows contiguous.
 */
export type VectorStore = 'f32' | 'f16' | 'i8' | 'b1';

/**
 * The parameters of an 'i8' or 'b1' store: per-dimension centres and one scale. Learned by the core
 * from an index's first batch (`learnQuantiser` in @hnswlab/core: i8, the mid-range of each dimension
 * and the smallest scale that codes the batch without clamping; b1, each dimension's mean and the
 * root-mean-square deviation from it), or given by the caller.
 */
export interface Quantiser {
  /** dim finite float32: i8, the value code 0 stands for; b1, the threshold each bit compares with. */
  readonly centre: Float32Array;
  /** A finite float32 > 0: i8, the step between codes; b1, how far from the centre a bit decodes. */
  readonly scale: number;
}

/** Options of {@link VectorSpace.createProbe}. */
export interface ProbeOptions {
  /**
   * Distances over the float32 rows (the metric's formula, as the f32 store computes them) instead of
   * the codes: what exact rerank uses. The f32 store's probes are always exact; a quantised space
   * without kept float32 rows throws.
   */
  readonly exact?: boolean;
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
  /** Absent means 'f32'. A quantised space's handle carries its quantiser and its buffers. */
  readonly store?: VectorStore;
  readonly [key: string]: unknown;
}

/**
 * A block of shared memory the kernel addresses directly. Views are made with
 * `new Int32Array(region.buffer, region.byteOffset, …)`; for a WebAssembly kernel `byteOffset` is
 * the block's address in the module's memory. Structured-cloneable: a worker makes the same views.
 */
export interface MemoryRegion {
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly byteLength: number;
}

/**
 * The kernel-owned store: `capacity` rows of `dim` float32 (or of codes, see {@link VectorStore} and
 * {@link QuantisedSpace}), flat, growable, shareable with workers, and the other memory the index
 * keeps beside it (the graph's arrays) as regions the kernel can address. Rows are written once by
 * the core (validated before) and then only read.
 */
export interface VectorSpace {
  readonly dim: number;
  readonly metric: Metric;
  /** Rows the space holds without growing. */
  readonly capacity: number;
  /** Bytes of memory the space holds for vectors and probe scratch (regions are counted by their owner). */
  readonly byteLength: number;
  /**
   * Grow (geometrically, contents kept) until at least `rows` rows fit. Every probe and traversal of
   * this space sees the new memory afterwards; callers re-read their views after a reserve.
   */
  reserve(rows: number): void;
  /**
   * Store `count` rows from `src` (row-major, starting at `srcOffset` floats) at `firstRow`. Normalising
   * metrics store them normalised; quantised stores encode them (and keep the float32 rows if asked).
   */
  write(firstRow: number, src: Float32Array, count?: number, srcOffset?: number): void;
  /**
   * A copy of a stored row as float32, as stored (normalised under cosine): a quantised space returns
   * its kept float32 row, or the decoded codes when it keeps none.
   */
  read(row: number): Float32Array;
  /**
   * Rows [firstRow, firstRow + count) as stored float32, as one view into the space (valid until the
   * next reserve): for saving, and for loading saved rows as they are (written through, nothing is
   * normalised again). A quantised space's kept float32 rows (it throws when it keeps none; their
   * codes are {@link QuantisedSpace.codes}). Owner thread only.
   */
  rows(firstRow: number, count: number): Float32Array;
  /**
   * Per-thread scratch for batched distance calls against this space, with room for `maxBatch` ids.
   * Distances are the store's (see {@link VectorStore}); `{ exact: true }` gives float32 ones.
   */
  createProbe(maxBatch: number, options?: ProbeOptions): DistanceProbe;
  /** `byteLength` zeroed bytes of shared memory this kernel addresses, 64-byte aligned. Owner thread only. */
  allocate(byteLength: number): MemoryRegion;
  /** The region's contents in a block of `byteLength` bytes (zero beyond the old length); may move. The old region is released. */
  resize(region: MemoryRegion, byteLength: number): MemoryRegion;
  /** Give a region back. */
  release(region: MemoryRegion): void;
  /**
   * Present when the kernel fuses traversal: one thread's kernel-side search and insert over `graph`
   * (which must live in regions of this space). See {@link FusedTraversal}. On a quantised space it
   * computes the store's distances, the same float32 values as the space's probes.
   */
  createTraversal?(graph: GraphLayout, options: TraversalOptions): FusedTraversal;
  /** What another thread passes to {@link DistanceKernel.attachSpace}. Taken after the last reserve. */
  handle(): SpaceHandle;
  /** Release what the space holds (native memory, wasm regions). The space is unusable after. */
  dispose(): void;
}

/**
 * A space whose store is 'f16', 'i8' or 'b1': what it has beyond {@link VectorSpace}. The probes
 * (and fused traversals, where the kernel has them) of such a space compute the store's distances on
 * the codes, the same float32 values whichever call computes them. `byteLength` counts the codes,
 * what the kernel derives from them (i8's P per row) and the kept float32 rows.
 */
/*
 * What a kernel implements to list a quantised store (the js kernel, packages/kernels-js, is the
 * reference: code-space.ts and store-f16.ts, store-i8.ts, store-b1.ts):
 * 1. `stores` lists it; createSpace({ store, keepFullPrecision, quantiser }) returns a QuantisedSpace,
 *    and attachSpace re-creates it from its handle (codes, derived terms, kept rows, quantiser).
 * 2. write: normalise under cosine (as the f32 store), keep the float32 row if asked, encode by the
 *    VectorStore rules, count clamped rows, derive per-row terms (i8 under ip/cosine: P).
 * 3. Probes: the store's distances on the codes, bit-exact for i8 and b1, in toRows/toRow/rowToRows/
 *    firstNearer alike; an outside query encoded as a row is (not counted as clamped; before any
 *    quantiser is set there are no rows, and a query need not be encoded); `{ exact: true }` probes
 *    over the kept float32 rows with the f32 formulas, or an error when none are kept.
 * 4. A fused traversal (createTraversal), where the kernel has one for this store, computes the same
 *    store distances. A space without one runs a fused boundary at `node` (the core's fallback).
 * 5. codes/writeCodes/copyRow/read/rows/reserve/byteLength as documented below and on VectorSpace.
 * 6. The conformance suite (kernelConformance, persistenceSuite, modelSuite in @hnswlab/conformance)
 *    runs every listed store: codes bit-exact against an independent reference encoder, files that
 *    load into the js kernel with bit-identical i8/b1 answers.
 */

export interface QuantisedSpace extends VectorSpace {
  /** Rows written with a component outside the store's range, stored clamped (see VectorStore). Owner thread. */
  readonly clamped: number;
  /** The quantiser in use ('i8', 'b1'), or null until set; null for 'f16'. */
  readonly quantiser: Quantiser | null;
  /**
   * 'i8' and 'b1': use `quantiser` (copied) from now on. Once, before the first write, in the owner
   * thread; throws if one is set already, and for 'f16'.
   */
  setQuantiser(quantiser: Quantiser): void;
  /** The codes of rows [firstRow, firstRow + count) as bytes, one view into the space (valid until the next reserve). Owner thread. */
  codes(firstRow: number, count: number): Uint8Array;
  /**
   * Store `count` rows' codes from `src` (as `codes` returns them, already checked) at `firstRow`, and
   * derive what the kernel keeps per row from them: how a saved file is loaded. Kept float32 rows
   * are loaded separately, through `rows`.
   */
  writeCodes(firstRow: number, src: Uint8Array, count: number): void;
  /** Make row `to` a copy of row `from` (codes, derived terms, kept float32 row): compaction. Owner thread. */
  copyRow(from: number, to: number): void;
}

/**
 * One thread's batched distance calls: the query is set once, then `toRows(n)` computes the distances
 * from it to the rows named in `ids[0..n)` into `out[0..n)` in a single call across the kernel boundary.
 * `ids` and `out` may live in kernel memory; read the fields after every `reserve`, never keep them.
 * Every distance is a float32 value: `toRow`, `toRows` and `firstNearer` agree bit for bit.
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
  /** distance(query, row), the float32 value toRows would write. */
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

/**
 * The graph's flat arrays, each a region of the space's memory, so a fused kernel walks them
 * directly. Structured-cloneable: workers attach the same memory.
 *
 * - `header`: Int32 × HEADER_SLOTS (see `@hnswlab/core/layout` for the slots: row count, entry point,
 *   top level, upper pool use, global lock, tombstones, undo-log state).
 * - `levels`: Uint8 per row. `links0`: Int32 × (2M + 1) per row: a count, then up to 2M links.
 * - `upperOffset`: Int32 per row, where the row's level-1 list starts in `upper` (−1 for level-0
 *   rows); its level-l list starts at upperOffset + (l − 1)·(M + 1): a count, then up to M links.
 * - `labels`: Uint32 per row (the user's id). `deleted`: Uint8 per row (tombstone).
 * - `locks`: Int32 per row. `touched`: Uint32 per row, the undo epoch that last logged the row.
 * - `undo`: Int32 log. A batch logs a row below UNDO_FIRST_ROW before first writing any of its lists:
 *   [row, n, the n ints of its level-0 list then its upper lists], at a position taken with an atomic
 *   add on UNDO_USED, once per UNDO_EPOCH (marked in `touched`, under the row's lock).
 */
export interface GraphLayout {
  readonly M: number;
  /** Rows the per-row arrays hold. */
  readonly capacity: number;
  readonly header: MemoryRegion;
  readonly levels: MemoryRegion;
  readonly links0: MemoryRegion;
  readonly upperOffset: MemoryRegion;
  readonly upper: MemoryRegion;
  readonly labels: MemoryRegion;
  readonly deleted: MemoryRegion;
  readonly locks: MemoryRegion;
  readonly touched: MemoryRegion;
  readonly undo: MemoryRegion;
}

export interface TraversalOptions {
  /** Beam width while inserting. */
  readonly efConstruction: number;
  /** Take row locks (several threads write the graph). */
  readonly locking: boolean;
  /** Time the phases (navigation, neighbour search, connection management). */
  readonly timing: boolean;
  /** Graph row r is space row r + rowOffset (a segment's private graph). Default 0. */
  readonly rowOffset?: number;
}

/**
 * Work a thread did, in the units of {@link IndexStats}. Fused traversals add theirs into one of
 * these when asked (drainCounters), then start again from zero.
 */
export interface WorkCounters {
  distanceEvals: number;
  nodesVisited: number;
  navigation: number;
  neighborSearch: number;
  connectionManagement: number;
  lockSpins: number;
  lockWait: number;
}

/**
 * One thread's kernel-side traversal of a graph: the JavaScript Searcher and Inserter's algorithm,
 * step for step (same visiting order, same tie-breaks on (distance, row), same float32 distances),
 * so a graph built through it is byte-identical to one built through probes. Search calls return
 * results nearest first in `rows`/`dists` (views into kernel memory: re-read after every call that
 * may grow, never keep).
 */
export interface FusedTraversal {
  /** Results of the last search call, nearest first. */
  readonly rows: Int32Array;
  readonly dists: Float32Array;
  /** Entries for {@link searchLayerFrom}, written by the caller (room for `maxEntries`). */
  readonly entries: Int32Array;
  readonly maxEntries: number;
  /** Distance of the row the last {@link descend} returned. */
  readonly bestDist: number;
  /** The graph grew (owner thread): re-read its regions; scratch follows the new capacity. */
  bind(graph: GraphLayout): void;
  setQuery(vector: Float32Array): void;
  setQueryRow(row: number): void;
  /** distance(query, row), float32. */
  distance(row: number): number;
  /** Greedy descent from `entry` at levels top, top − 1, …, bottom + 1; returns the row reached. */
  descend(entry: number, entryDist: number, top: number, bottom: number): number;
  /**
   * Beam search at `level` from `entry`, keeping the nearest `ef`; `skipDeleted` keeps tombstones
   * out of the results (still walked through); `exclude` is a row never returned (or −1). Returns
   * the result count.
   */
  searchLayer(entry: number, entryDist: number, ef: number, level: number, skipDeleted: boolean, exclude: number): number;
  /** The same search started from entries[0..count) (their distances computed here, duplicates skipped). */
  searchLayerFrom(count: number, ef: number, level: number, skipDeleted: boolean, exclude: number): number;
  /** A whole query: descent from the entry point, then the beam search at level 0 (results as searchLayer's). */
  search(ef: number, skipDeleted: boolean): number;
  /**
   * Rows the following queries may return: a bitset over rows (bit r of word r >> 5; rows past the
   * array are not allowed), or null for all. With skipDeleted, searches walk through the other rows
   * but never return them. Optional: an
   * index runs filtered queries through its JavaScript traversal when a kernel has no filter.
   */
  setFilter?(rows: Uint32Array | null): void;
  /** Link an allocated, stored row: the whole of Inserter.insert in one call. */
  insert(row: number): void;
  /** Add the work done since the last drain into `into`, and zero it here. */
  drainCounters(into: WorkCounters): void;
  /** Release the traversal's scratch. */
  dispose(): void;
}

/** Options of {@link InsertStrategy.link}, as given to addBatch. */
export interface InsertOptions {
  /** Worker threads to use, for the strategies that use them. */
  readonly threads?: number;
  readonly [key: string]: unknown;
}

/**
 * Links a batch into the graph. The index has validated the batch, allocated its rows, stored its
 * vectors (unless `storesRows`), drawn its levels and started an undo log; if `link` throws or
 * rejects, the index rolls everything back, so a strategy never writes its own commit or rollback.
 */
export interface InsertStrategy {
  readonly name: string;
  /** One line for help texts. */
  readonly description?: string;
  /**
   * The strategy stores each row itself ({@link BuildContext.storeRow}) right before linking it, as
   * repeated add() calls would; otherwise every row is stored before `link` is called.
   */
  readonly storesRows?: boolean;
  /** Reject bad options before anything is written (called when addBatch is called). */
  validate?(options: InsertOptions): void;
  link(build: BuildContext, options: InsertOptions): void | Promise<void>;
}

/**
 * One thread's linking primitives: the HNSW rules live in the core (and in fused kernels); strategies
 * compose these. Rows are graph rows, already allocated.
 */
export interface Linker {
  /** Full insertion: greedy descent, beam search at each of the row's levels, heuristic, back-links. */
  insert(row: number): void;
  /** Link a level-0 row by one level-0 search from `entries[0..count)` (rows already linked), no descent. */
  insertFrom(row: number, entries: Int32Array, count: number, ef?: number): void;
  /**
   * Search and select the row's neighbours at each of its levels against the graph as it is, from
   * `entry` at level `top`, writing nothing to the graph: out[at + l·(M + 1)] is the count at level l,
   * the links follow (levels min(level, top)..0 are written).
   */
  plan(row: number, entry: number, top: number, out: Int32Array, at: number): void;
  /** Replace the row's own list at `level` with links[from..from + n). */
  writeLinks(row: number, level: number, links: Int32Array, from: number, n: number): void;
  /** Add back-links from sources[from..from + n) to target's list at `level`, re-pruning by the heuristic when they do not fit. */
  addBackLinks(target: number, level: number, sources: Int32Array, from: number, n: number): void;
}

/** A worker task: a function exported by name from a module, so a worker thread can import it. */
export interface WorkerTask<Args = unknown, Result = unknown> {
  /** The module's file URL (import.meta.url of the file that defines the task). */
  readonly module: string;
  /** The export's name. */
  readonly name: string;
  readonly run: (worker: WorkerBuild, args: Args) => Result;
}

/** Workers attached to one index for one batch. */
export interface Workers {
  readonly size: number;
  /** One task per worker (`args` may return undefined to leave one idle); results in worker order. */
  each<A, R>(task: WorkerTask<A, R>, args: (worker: number) => A | undefined): Promise<R[]>;
  /** Tasks handed in order to whichever worker is free; results in task order. */
  queue<A, R>(task: WorkerTask<A, R>, args: readonly A[]): Promise<R[]>;
}

/** What a worker thread sees of the index while it runs a task. */
export interface WorkerBuild {
  /** This worker's index among the job's workers, and how many there are. */
  readonly worker: number;
  readonly workers: number;
  readonly M: number;
  readonly efConstruction: number;
  readonly firstRow: number;
  readonly count: number;
  /** This thread's linker (locking when the job locks). */
  readonly linker: Linker;
  /** The level of a graph row. */
  level(row: number): number;
  /**
   * A private graph over space rows [base, base + count), numbered from 0, with the levels the batch
   * drew for them, linked in this thread only. Returns its level-0 lists as CSR (segment-local rows).
   */
  buildPrivateGraph(base: number, count: number): { offsets: Int32Array; neighbors: Int32Array };
}

/**
 * The narrow view a strategy gets of an index while it links one batch: the batch's rows, the levels
 * drawn for them, a linker for this thread, and workers that attach the same graph. Nothing of the
 * index's state is writable except through these calls.
 */
export interface BuildContext {
  readonly M: number;
  readonly efConstruction: number;
  /** The batch's rows are [firstRow, firstRow + count). */
  readonly firstRow: number;
  readonly count: number;
  /** This thread's linker. */
  readonly linker: Linker;
  /** Entry point and top level now (−1 while the graph is empty). */
  readonly entry: number;
  readonly maxLevel: number;
  level(row: number): number;
  /** Store batch row `i` (0-based) now: for strategies with `storesRows`. Returns the graph row. */
  storeRow(i: number): number;
  /** Make `row` the entry point at `level` (strategies that link without locks and pick the top themselves). */
  setEntry(row: number, level: number): void;
  /**
   * Link batch rows from hints: the join-set merge. `neighbors[offsets[i]..offsets[i + 1])` are graph
   * rows of the batch near batch row i (in the graph it came from); `join[i]` is 1 for the join set of
   * that graph (computeJoinSet); `linked[i]` is 1 for rows already linked. Join-set rows and rows above
   * level 0 get full insertions, the rest a level-0 search from their linked hints. Uses `workers`
   * (stages 'merge-full' and 'merge-seeded') when given. Returns how many of each kind.
   */
  mergeRows(
    input: { offsets: Int32Array; neighbors: Int32Array; join: Uint8Array; linked: Uint8Array },
    options: { workers?: Workers; ef?: number; expand?: boolean; warm?: number },
  ): Promise<{ fullInserts: number; seededInserts: number }>;
  /** Run `fn` with `threads` workers attached to this index (row locks on when `locking`); they detach after. */
  withWorkers<T>(options: { threads: number; locking: boolean }, fn: (workers: Workers) => Promise<T>): Promise<T>;
  /** Time `fn` as a named stage of the batch report (stages of one name accumulate). */
  stage<T>(name: string, rows: number, fn: () => T | Promise<T>): Promise<T>;
  /** Strategy-specific counts for the batch report (rounds, seeded rows, …). */
  readonly extra: Record<string, number>;
}

export interface IndexStats {
  /** Distances computed (every element of every batched call counts one). */
  distanceEvals: number;
  /** Nodes whose link lists were expanded. */
  nodesVisited: number;
  /** Vectors inserted (rolled-back batches not counted). */
  inserts: number;
  /** Calls across the kernel boundary (probe and traversal calls). */
  kernelCalls: number;
  /** Seconds spent per phase of insertion. */
  phases: Record<Phase, number>;
  /** Seconds threads waited for row locks, and failed lock attempts (parallel builds). */
  lockWait: number;
  lockSpins: number;
  /** Removed vectors still in the graph (as waypoints), until a compaction consolidates them. */
  tombstones: number;
  /** Bytes compactions freed for later inserts, in total. */
  reclaimedBytes: number;
  /** Vectors stored with a component outside a quantised store's range, clamped (never wrapped); 0 for 'f32'. */
  clamped: number;
  /**
   * Bytes held: vectors (the kernel's space: codes, what the kernel derives from them, kept float32
   * rows, probe scratch), graph (links, levels, locks), other (labels, tombstones, scratch).
   */
  bytes: { vectors: number; graph: number; other: number };
}

export interface SearchResult {
  ids: Uint32Array;
  distances: Float32Array;
  /** With a filter: true when the allowed rows were scanned exactly instead of searched in the graph. */
  exact?: boolean;
}
