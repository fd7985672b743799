import type { Boundary, Phase, VectorStore } from '@hnswlab/core';
import type { CellSpec } from './cell-spec.js';

/** Version of the JSON written for cells and reports (SCHEMA.md). Bumped on any incompatible change. */
export const SCHEMA_VERSION = 1;

/** The insert phases, in report order. */
export const PHASES: readonly Phase[] = ['navigation', 'neighborSearch', 'connectionManagement', 'storage'];

/** Build figures of one cell. Counts come from the index's counters and are identical across repeats. */
export interface BuildResult {
  /** Median wall-clock seconds of the repeats (addBatch of all n vectors into an empty index). */
  seconds: number;
  /** Every repeat's seconds, in run order. */
  secondsPerRepeat: number[];
  /** n / seconds. */
  vectorsPerSecond: number;
  /** Distance evaluations per inserted vector (null for peers, which do not count them). */
  distanceEvalsPerInsert: number | null;
  /** Link lists expanded per inserted vector (null for peers). */
  nodesVisitedPerInsert: number | null;
  /** Seconds per insert phase, summed over every thread (null for peers). */
  phaseSeconds: Record<Phase, number> | null;
  /** Each phase's share of the summed phase time (sums to 1; null for peers). */
  phaseShares: Record<Phase, number> | null;
  /** Seconds threads spent waiting for node locks, summed over threads (0 for single-thread strategies; null for peers). */
  lockWaitSeconds: number | null;
  /**
   * Threads that inserted: the workers of a strategy that uses them, 1 for one that runs on the
   * calling thread (sequential, batched) whatever `spec.threads` asked; for peers, the threads given
   * to the library. Absent in reports written before it was recorded (read as spec.threads).
   */
  threads?: number;
  /** Calls across the kernel boundary per inserted vector (IndexStats.kernelCalls / inserts); null for peers. */
  kernelCallsPerInsert?: number | null;
  /** CPU seconds (user + system, every thread of the process: workers and GC included) of the last timed build. */
  cpuSeconds?: number;
  /**
   * cpuSeconds / distance evaluations of the last timed build, in nanoseconds: the all-in cost of one
   * distance (kernel, graph work, crossings), which is what a boundary moves. null for peers.
   */
  cpuNanosecondsPerDistance?: number | null;
  /** The share of build time spent outside the kernel (JavaScript graph work, crossings, GC); see JsShare. */
  jsShare?: JsShare | null;
  /**
   * 'measured': timed in this run; 'cache': the figures recorded when the cached index this cell
   * searched was built (CellResult.indexCache says when and where). Absent: measured.
   */
  source?: 'measured' | 'cache';
}

/**
 * The share of build time outside the kernel, measured two ways (SCHEMA.md, "JS-side share"):
 * from the kernel's own phase timers where it times a fused insert, and from a CPU profile of a
 * separate, untimed build of the same cell where one was asked for.
 */
export interface JsShare {
  /** The figure reports show: byProfile when there is one, else byTimers. */
  share: number;
  method: 'cpu-profile' | 'kernel-timers';
  /** 1 − the kernel's phase seconds / (build seconds × threads); for the `insert` boundary only, else null. */
  byTimers: number | null;
  /** 1 − samples with a kernel frame on the stack / samples of the build (main thread; single-thread strategies). */
  byProfile: number | null;
  /** Samples behind byProfile. */
  samples: number | null;
}

/** Event-loop delay while one operation ran, from perf_hooks.monitorEventLoopDelay (see EventLoopResult). */
export interface LoopDelay {
  /** Percentiles of the delay over the monitor's timer ticks during the operation, ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Timer ticks recorded (1 when the operation blocked the loop from start to end). */
  ticks: number;
  /** Wall-clock seconds of the operation. */
  seconds: number;
}

/**
 * How long the JavaScript event loop could not run while the index worked: a timer due every
 * `resolutionMs` records how late it fired (its interval minus the resolution), so a call that blocks
 * the thread for 2 s shows as one tick of about 2,000 ms and a call that leaves the loop free as ticks
 * of a fraction of a millisecond.
 */
export interface EventLoopResult {
  resolutionMs: number;
  /** During the last timed build (absent when the index came from a cache record that has none). */
  build?: LoopDelay;
  /** The query set answered one query per event-loop turn (search(); peers: their one-query call), at `ef`. */
  search?: LoopDelay & { ef: number };
  /** The query set answered in one call on `threads` threads (searchBatch(); usearch: its batch search), at `ef`. */
  searchBatch?: LoopDelay & { ef: number; threads: number; qps: number };
}

/** Saving and loading the built index (the file the index cache keeps), against plain file I/O of the same size. */
export interface PersistenceResult {
  /** Size of the saved file. */
  fileBytes: number;
  /** fileBytes / vectors. */
  bytesPerVector: number;
  /** fileBytes / the raw float32 vectors (n · dim · 4). */
  fileToRawRatio: number;
  /** fileBytes / the index's bytes in memory (memory.indexBytes.total). */
  fileToMemoryRatio: number;
  /** index.save(path): write, fsync, rename. */
  saveSeconds: number;
  /** HnswIndex.load(path) (peers: their load), right after readFileSeconds. */
  loadSeconds: number;
  /** fs.readFile of the same file just before the load (the page cache is as the load finds it). */
  readFileSeconds: number;
  /** Writing fileBytes to a new file beside it and fsyncing it: the disk's sequential write rate, same run. */
  diskWriteSeconds: number;
  /** 'cache': save and disk-write figures recorded when the cached index was saved; load and readFile are always measured now. */
  saveSource: 'measured' | 'cache';
}

/** Whether a cell's index came from the index cache ($HNSWLAB_CACHE/index). */
export interface IndexCacheUse {
  /** The cache key (see SCHEMA.md, "Index cache"). */
  key: string;
  /** true: the index was loaded, not built; its build figures are those recorded in `builtAt`. */
  hit: boolean;
  /** When and on which machine the cached index was built and its build measured. */
  builtAt: string;
  builtOn: string;
}

/** Search figures at one ef. */
export interface SearchPoint {
  ef: number;
  /** Mean recall@k over the queries, counted by distance (ann-benchmarks style). */
  recall: number;
  /** Queries per second, best of `passes` passes over the query set (single thread). */
  qps: number;
  /** Per-query latency in milliseconds over all passes. */
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Distance evaluations per query (null for peers). */
  distanceEvalsPerQuery: number | null;
  /** Calls across the kernel boundary per query (null for peers). */
  kernelCallsPerQuery?: number | null;
  passes: number;
}

/** One rerank sweep of a quantised store's cell: `search(q, k, { ef, rerank })` over the cell's ef sweep. */
export interface RerankSweep {
  /** The rerank factor (> 1): the best rerank·k candidates by the store's distance are re-scored in float32. */
  rerank: number;
  /** One point per ef, as CellResult.search. */
  points: SearchPoint[];
}

/** What a cell of the precision axis stored (absent for f32 cells: the store before the axis). */
export interface StoreResult {
  /** The index's store (HnswIndex.store). */
  name: VectorStore;
  /** Float32 rows were kept beside the codes (HnswIndex.keepFullPrecision): memory.indexBytes.vectors counts them. */
  keepFullPrecision: boolean;
  /** Vectors stored with a component outside the store's range, clamped (IndexStats.clamped). */
  clamped: number;
}

/** Memory figures of the index kept after the last build. */
export interface MemoryResult {
  /** Vectors inserted. */
  vectors: number;
  /** The index's own account (index.stats().bytes, or the peer's reported size), in bytes. */
  indexBytes: { vectors: number; graph: number; other: number; total: number };
  /** indexBytes divided by the vector count. */
  bytesPerVector: { vectors: number; graph: number; other: number; total: number };
  /** n · dim · 4: the float32 vectors alone. */
  rawVectorBytes: number;
  /** indexBytes.total / rawVectorBytes. */
  indexToRawRatio: number;
  /**
   * The process's peak resident set while the index was built, in bytes: from a reset of the peak
   * just before the build ('build', Linux) or the process's lifetime peak ('process', elsewhere).
   * It includes the process's baseline (Node, the data, the ground truth), not the index alone.
   */
  peakRssBytes?: number;
  peakRssScope?: 'build' | 'process';
  /** Resident set just before the build, after a forced GC. */
  rssBeforeBytes?: number;
  /** Growth of process.memoryUsage() across the build, each side measured after a forced GC (can be negative: garbage freed). */
  rssGrowthBytes: number;
  /** Includes ArrayBuffers, SharedArrayBuffers and WebAssembly.Memory (which `arrayBuffers` misses). */
  externalGrowthBytes: number;
  arrayBuffersGrowthBytes: number;
  heapUsedGrowthBytes: number;
  /** rssGrowthBytes / rawVectorBytes. */
  rssToRawRatio: number;
  /** Whether a GC could be forced; without one the growth figures include garbage. */
  gcForced: boolean;
  /** 'stats': the index's own account; 'serialized': a peer's saved file size, split as raw vectors + the rest (graph). */
  indexBytesSource: 'stats' | 'serialized';
}

/** What a cell's data was, after loading (file datasets fix their own dimension). */
export interface CellDataset {
  id: string;
  name: string;
  n: number;
  dim: number;
  queries: number;
  /** sha256 (hex, first 16) of base and query bytes: the ground-truth cache key. */
  hash: string;
  /** Where the exact neighbours came from. */
  groundTruth: 'computed' | 'cache' | 'file';
}

/** Everything one cell measured. `status` other than 'ok' leaves the figures out and says why in `reason`. */
export interface CellResult {
  schemaVersion: typeof SCHEMA_VERSION;
  /** cellLabel(spec). */
  id: string;
  /** 'hnswlab' for our cells; the peer's package name for reference rows. */
  library: 'hnswlab' | 'hnswlib-node' | 'usearch';
  status: 'ok' | 'unavailable' | 'failed';
  /** Why the cell is unavailable or failed, e.g. "unavailable: cannot find module '@hnswlab/kernels-native'". */
  reason?: string;
  spec: CellSpec;
  /** The code path that ran, as the kernel names it (e.g. 'js', 'wasm-simd128'), or the peer and its version. */
  kernelName?: string;
  /** The boundary the index ran with (spec.boundary, or the kernel's default); absent for peers. */
  boundary?: Boundary;
  dataset?: CellDataset;
  build?: BuildResult;
  /** One point per ef of the sweep, ascending ef. */
  search?: SearchPoint[];
  /** Quantised stores with spec.rerank and float32 rows kept: one sweep per rerank factor, ascending. */
  rerankSearch?: RerankSweep[];
  /** The precision axis: what the cell stored (set when spec.store is). */
  store?: StoreResult;
  memory?: MemoryResult;
  /** Event-loop delay during the build, search() and searchBatch(). */
  eventLoop?: EventLoopResult;
  /** Save and load of the built index. */
  persistence?: PersistenceResult;
  /** Set when the index cache was on for this cell. */
  indexCache?: IndexCacheUse;
  /** ISO time the cell started. */
  startedAt: string;
  /** The label of the machine that measured it (`MachineInfo.label`); set by runMatrix. */
  machine?: string;
  /** Wall-clock seconds the whole cell took (data, ground truth, builds, searches). */
  wallSeconds: number;
}
